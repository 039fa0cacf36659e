import { CopyableValue } from '../applications/copyable-value';

/** The callback address to register at the provider, with a copy button. */
export function RedirectUri({ value }: { value: string }) {
  return <CopyableValue label="redirect URI" value={value} />;
}
