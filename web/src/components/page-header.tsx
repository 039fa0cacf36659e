import { Breadcrumbs, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageTitle } from './page-title';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Parent section shown above the title, e.g. "Settings" above "Roles". */
  section?: string;
}

/** Title and one-line description at the top of a console page. */
export function PageHeader({ title, description, section }: PageHeaderProps) {
  return (
    <Stack gap={4} mb="xl">
      {section !== undefined && (
        <Breadcrumbs aria-label="Breadcrumb" separator="›" fz="sm" c="dimmed">
          <Text span fz="sm" c="dimmed">
            {section}
          </Text>
          <Text span fz="sm" c="dimmed">
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
