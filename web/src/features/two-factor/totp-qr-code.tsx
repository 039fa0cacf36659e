import { Box } from '@mantine/core';
import QRCode from 'qrcode';
import { useEffect, useRef } from 'react';

/**
 * The otpauth:// address as a QR code, drawn in the browser on a canvas (no image request, nothing for the
 * Content-Security-Policy to allow): the seed never leaves the page.
 */
export function TotpQrCode({ otpauthUrl }: { otpauthUrl: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) void QRCode.toCanvas(canvas.current, otpauthUrl, { width: 200, margin: 2, errorCorrectionLevel: 'M' });
  }, [otpauthUrl]);
  return (
    <Box
      component="canvas"
      ref={canvas}
      role="img"
      aria-label="QR code to scan with your authenticator app"
      width={200}
      height={200}
      style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)' }}
    />
  );
}
