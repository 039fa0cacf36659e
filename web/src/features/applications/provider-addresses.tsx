import { Skeleton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ReadOnlyFields } from '../../components/read-only-fields';
import { providerAddressesOptions } from './applications-queries';
import { CopyableValue } from './copyable-value';

/** The client id, and where the application finds Roster: the issuer and the discovery document. */
export function ProviderAddresses({ clientId }: { clientId: string }) {
  const addresses = useQuery(providerAddressesOptions);
  const pending = <Skeleton height={20} width={280} />;
  return (
    <ReadOnlyFields
      fields={[
        { label: 'Client ID', value: <CopyableValue label="client ID" value={clientId} /> },
        { label: 'Issuer', value: addresses.data ? <CopyableValue label="issuer" value={addresses.data.issuer} /> : pending },
        {
          label: 'Discovery URL',
          value: addresses.data ? <CopyableValue label="discovery URL" value={addresses.data.discoveryUrl} /> : pending,
        },
      ]}
    />
  );
}
