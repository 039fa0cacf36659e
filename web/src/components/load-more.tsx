import { Button, Center, Text } from '@mantine/core';

interface LoadMoreProps {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  /** How many rows are shown, e.g. "12 groups shown". */
  shownLabel: string;
}

/**
 * The foot of a cursor-paged list (docs/product/api.md#lists-and-cursors): how many are shown, and "Load more" while
 * the server has more.
 */
export function LoadMore({ hasMore, loading, onLoadMore, shownLabel }: LoadMoreProps) {
  return (
    <Center mt="md" style={{ flexDirection: 'column', gap: 8 }}>
      <Text size="sm" c="dimmed" role="status" aria-live="polite">
        {shownLabel}
        {hasMore ? '' : ' · that is all'}
      </Text>
      {hasMore && (
        <Button variant="default" onClick={onLoadMore} loading={loading}>
          Load more
        </Button>
      )}
    </Center>
  );
}
