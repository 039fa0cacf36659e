import { Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';

/**
 * The page's one h1, which also names the browser tab. It can take focus (tabIndex -1) so that the layout can move
 * focus to it after a client-side navigation, as a full page load would for a screen reader.
 */
export function PageTitle({ children, documentTitle }: { children: ReactNode; documentTitle: string }) {
  useDocumentTitle(`${documentTitle} · Roster`);
  return (
    <Title order={1} fz={{ base: 26, sm: 32 }} tabIndex={-1} data-page-title="" style={{ outline: 'none' }}>
      {children}
    </Title>
  );
}
