import { Anchor } from '@mantine/core';
import { Link } from 'react-router';

const paths = {
  person: (id: string) => `/people/${encodeURIComponent(id)}`,
  project: (id: string) => `/projects/${encodeURIComponent(id)}`,
  group: (id: string) => `/groups/${encodeURIComponent(id)}`,
  application: (id: string) => `/settings/applications/${encodeURIComponent(id)}`,
  identityProvider: (id: string) => `/settings/identity-providers/${encodeURIComponent(id)}`,
} as const;

interface EntityLinkProps {
  kind: keyof typeof paths;
  /** A person's username, a project's, a group's, an application's or an identity provider's id. */
  id: string;
  name: string;
  truncate?: boolean;
}

/**
 * The one look of a link to a person, project, group or application, wherever it appears (tables, facts, sentences): the primary
 * colour, semi-bold and underlined, so that it never relies on colour alone (docs/product/console.md#layout-and-menus).
 */
export function EntityLink({ kind, id, name, truncate }: EntityLinkProps) {
  return (
    <Anchor component={Link} to={paths[kind](id)} fw={600} underline="always" truncate={truncate} data-entity-link={kind}>
      {name}
    </Anchor>
  );
}
