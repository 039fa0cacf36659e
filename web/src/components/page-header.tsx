import { Anchor, Breadcrumbs, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PageTitle } from './page-title';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Parent section shown above the title, e.g. "Settings" above "Roles". */
  section?: string;
  /** Where the section crumb leads (e.g. "/settings/roles"): the one way back, instead of a separate back link. */
  sectionTo?: string;
}

/** Title and one-line description at the top of a console page. */
export function PageHeader({ title, description, section, sectionTo }: PageHeaderProps) {
  return (
    <Stack gap={4} mb="xl">
      {section !== undefined && (
        <Breadcrumbs aria-label="Breadcrumb" separator="›" fz="sm" c="dimmed">
          {sectionTo !== undefined ? (
            <Anchor component={Link} to={sectionTo} fz="sm">
              {section}
            </Anchor>
          ) : (
            <Text span fz="sm" c="dimmed">
              {section}
            </Text>
          )}
          <Text span fz="sm" c="dimmed" aria-current="page">
            {title}
          </Text>
        </Breadcrumbs>
      )}
      <PageTitle documentTitle={section === undefined ? title : `${title} · ${section}`}>{title}</PageTitle>
      {description !== undefined && (
        <Text c="dimmed" size="lg">
          {description}
        </Text>
      )}
    </Stack>
  );
}
