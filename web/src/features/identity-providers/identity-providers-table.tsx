import { Table, Text } from '@mantine/core';
import type { IdentityProvider } from '../../api/identity-providers';
import { EntityLink } from '../../components/entity-link';

/** A yes-or-no setting, in words. */
function YesNo({ value }: { value: boolean }) {
  return (
    <Text span fz="sm">
      {value ? 'Yes' : 'No'}
    </Text>
  );
}

/** The identity providers list: label (to its page), issuer, whether unknown people are created, linking on a verified email. */
export function IdentityProvidersTable({ providers }: { providers: IdentityProvider[] }) {
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Identity providers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Label</Table.Th>
            <Table.Th scope="col">Issuer</Table.Th>
            <Table.Th scope="col">Creates people at first login</Table.Th>
            <Table.Th scope="col">Links on a verified email</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {providers.map((provider) => (
            <Table.Tr key={provider.id} data-identity-provider={provider.label}>
              <Table.Td>
                <EntityLink kind="identityProvider" id={provider.id} name={provider.label} />
              </Table.Td>
              <Table.Td>
                <Text span ff="monospace" fz="sm" style={{ overflowWrap: 'anywhere' }}>
                  {provider.issuer}
                </Text>
              </Table.Td>
              <Table.Td>
                <YesNo value={provider.createUnknown} />
              </Table.Td>
              <Table.Td>
                <YesNo value={provider.linkVerifiedEmail} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
