import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useId, useMemo, useRef, useState } from 'react';
import { IconAlert } from './icons';

// One-time secrets (temporary passwords, API tokens, and any later recovery codes or client secrets) are shown once
// and never again (docs/product/console.md#one-time-secrets). Every view that shows one sits inside a
// OneTimeSecretGuard: each secret registers itself while it is on screen, copying it (or downloading the list) marks
// it kept, and closing the view while a secret is not kept asks first. The Dialog component holds a guard, so every
// dialog gets this by showing a secret with `useOneTimeSecret`.

interface SecretRegistry {
  /** A secret appeared; `label` names it in the question ("the temporary password for dana"). */
  show(id: string, label: string): void;
  /** The secret left the screen (its view closed or moved on). */
  hide(id: string): void;
  /** The secret was copied or saved. */
  keep(id: string): void;
  /** Everything on screen was saved (e.g. Download). */
  keepAll(): void;
}

const SecretRegistryContext = createContext<SecretRegistry | null>(null);
const RequestCloseContext = createContext<(() => void) | null>(null);

/**
 * Registers a one-time secret with the guard around it while the calling component is mounted; returns the function
 * to call once the secret was copied or saved.
 */
export function useOneTimeSecret(label: string): () => void {
  const registry = useContext(SecretRegistryContext);
  const id = useId();
  useEffect(() => {
    registry?.show(id, label);
    return () => registry?.hide(id);
  }, [registry, id, label]);
  return useCallback(() => registry?.keep(id), [registry, id]);
}

/** Marks every secret of the surrounding guard as kept (a download holds them all). */
export function useKeepAllSecrets(): () => void {
  const registry = useContext(SecretRegistryContext);
  return useCallback(() => registry?.keepAll(), [registry]);
}

/**
 * The guarded close of the surrounding dialog, for its own Done and Cancel buttons: it asks first while a secret is
 * unkept. Outside a guard it is `fallback`.
 */
export function useRequestClose(fallback: () => void): () => void {
  return useContext(RequestCloseContext) ?? fallback;
}

interface GuardState {
  /** Asks to close: closes at once when nothing unkept is shown, otherwise shows the question. */
  requestClose: () => void;
  /** Whether the "close without keeping?" question is showing. */
  asking: boolean;
}

/**
 * Holds the secrets shown inside it and asks before `onClose` while one of them was neither copied nor downloaded.
 * `children` receive the guarded close and whether the question is showing; the question itself is
 * `<CloseSecretQuestion>`, rendered where the view wants it.
 */
export function OneTimeSecretGuard({
  onClose,
  children,
}: {
  onClose: () => void;
  children: (guard: GuardState & { question: ReactNode }) => ReactNode;
}) {
  const secrets = useRef(new Map<string, { label: string; kept: boolean }>());
  const [asking, setAsking] = useState<string[] | null>(null);
  const [, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((version) => version + 1), []);

  const registry = useMemo<SecretRegistry>(
    () => ({
      show: (id, label) => {
        secrets.current.set(id, { label, kept: false });
        changed();
      },
      hide: (id) => {
        secrets.current.delete(id);
        changed();
      },
      keep: (id) => {
        const secret = secrets.current.get(id);
        if (secret) secret.kept = true;
        changed();
      },
      keepAll: () => {
        for (const secret of secrets.current.values()) secret.kept = true;
        changed();
      },
    }),
    [changed],
  );

  const unkept = [...secrets.current.values()].filter((secret) => !secret.kept).map((secret) => secret.label);

  // A reload or a closed tab loses the secret too: the browser asks its own question then.
  useEffect(() => {
    if (unkept.length === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unkept.length]);

  const finish = useCallback(() => {
    setAsking(null);
    onClose();
  }, [onClose]);

  const requestClose = useCallback(() => {
    // Escape (or ×) while the question shows means "go back", not "close anyway".
    if (asking !== null) {
      setAsking(null);
      return;
    }
    const open = [...secrets.current.values()].filter((secret) => !secret.kept).map((secret) => secret.label);
    if (open.length === 0) finish();
    else setAsking(open);
  }, [asking, finish]);

  const question = asking === null ? null : <CloseSecretQuestion labels={asking} onBack={() => setAsking(null)} onClose={finish} />;

  return (
    <SecretRegistryContext.Provider value={registry}>
      <RequestCloseContext.Provider value={requestClose}>
        {children({ requestClose, asking: asking !== null, question })}
      </RequestCloseContext.Provider>
    </SecretRegistryContext.Provider>
  );
}

function describe(labels: string[]): string {
  if (labels.length === 1) return `The ${labels[0]} has`;
  return `${labels.length} one-time secrets (${labels.slice(0, 3).join(', ')}${labels.length > 3 ? ', …' : ''}) have`;
}

/** "Close without copying?": the question a guard shows, with Go back (focused) and Close anyway. */
function CloseSecretQuestion({ labels, onBack, onClose }: { labels: string[]; onBack: () => void; onClose: () => void }) {
  const headingId = useId();
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);
  return (
    <Stack gap="md" role="group" aria-labelledby={headingId} data-close-question="">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <IconAlert size={22} color="var(--mantine-color-orange-7)" />
        <Title order={2} fz="md" id={headingId}>
          Close without copying?
        </Title>
      </Group>
      <Text>
        {describe(labels)} not been copied or downloaded. {labels.length === 1 ? 'It is' : 'They are'} shown only once: after closing,
        nobody can see {labels.length === 1 ? 'it' : 'them'} again.
      </Text>
      <Group justify="flex-end" gap="sm">
        <Button ref={back} variant="default" onClick={onBack}>
          Go back
        </Button>
        <Button color="red" onClick={onClose}>
          Close anyway
        </Button>
      </Group>
    </Stack>
  );
}
