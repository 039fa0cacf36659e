import { Modal } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { OneTimeSecretGuard } from './one-time-secret';

interface DialogProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  size?: string | number;
  /** False while the dialog shows something that must not be lost to a stray click (e.g. a token shown once). */
  closeOnClickOutside?: boolean;
}

/**
 * A modal dialog for the console. Composed from Mantine's parts so that its header is a div (Mantine's default
 * <header> would be a second "banner" landmark) and its close button is labelled. It guards one-time secrets: while
 * a secret shown inside (`useOneTimeSecret`) was neither copied nor downloaded, Escape, × and the dialog's own
 * Done/Cancel (`useRequestClose`) ask before closing (docs/product/console.md#one-time-secrets). A caller whose title
 * empties as it closes (its state gone) keeps its last title through the closing transition: a dialog without a name
 * is an accessibility error even for the 200 ms it fades.
 */
export function Dialog({ opened, onClose, title, children, size = 'md', closeOnClickOutside = true }: DialogProps) {
  const [lastTitle, setLastTitle] = useState(title);
  if (title !== '' && title !== lastTitle) setLastTitle(title);
  const shownTitle = title === '' ? lastTitle : title;
  return (
    <OneTimeSecretGuard onClose={onClose}>
      {({ requestClose, asking, question }) => (
        <Modal.Root opened={opened} onClose={requestClose} size={size} centered closeOnClickOutside={closeOnClickOutside && !asking}>
          <Modal.Overlay />
          <Modal.Content>
            <Modal.Header component="div">
              <Modal.Title fw={700} fz="lg">
                {shownTitle}
              </Modal.Title>
              <Modal.CloseButton aria-label="Close" />
            </Modal.Header>
            <Modal.Body>
              {question}
              {/* Kept mounted while the question shows: the secret lives in this content's state. */}
              <div hidden={asking}>{children}</div>
            </Modal.Body>
          </Modal.Content>
        </Modal.Root>
      )}
    </OneTimeSecretGuard>
  );
}
