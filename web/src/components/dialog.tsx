import { Modal } from '@mantine/core';
import type { ReactNode } from 'react';

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
 * <header> would be a second "banner" landmark) and its close button is labelled.
 */
export function Dialog({ opened, onClose, title, children, size = 'md', closeOnClickOutside = true }: DialogProps) {
  return (
    <Modal.Root opened={opened} onClose={onClose} size={size} centered closeOnClickOutside={closeOnClickOutside}>
      <Modal.Overlay />
      <Modal.Content>
        <Modal.Header component="div">
          <Modal.Title fw={700} fz="lg">
            {title}
          </Modal.Title>
          <Modal.CloseButton aria-label="Close" />
        </Modal.Header>
        <Modal.Body>{children}</Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
