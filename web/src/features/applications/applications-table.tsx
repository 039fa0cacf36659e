import { Group, Table } from '@mantine/core';
import type { Application } from '../../api/applications';
import { DateTime } from '../../components/date-time';
import { EntityLink } from '../../components/entity-link';
import { AllowedGroups, ApplicationTypeBadge, FirstPartyBadge } from './application-badges';

/** The applications list: name (to its page), type, first-party, who may sign in, when it was registered. */
export function ApplicationsTable({ applications }: { applications: Application[] }) {
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Applications">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Type</Table.Th>
            <Table.Th scope="col">Who may sign in</Table.Th>
            <Table.Th scope="col">Registered</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {applications.map((application) => (
            <Table.Tr key={application.id} data-application={application.name}>
              <Table.Td>
                <EntityLink kind="application" id={application.id} name={application.name} />
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <ApplicationTypeBadge type={application.type} />
                  {application.firstParty && <FirstPartyBadge />}
                </Group>
              </Table.Td>
              <Table.Td>
                <AllowedGroups application={application} />
              </Table.Td>
              <Table.Td>
                <DateTime value={application.createdAt} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
