import { Skeleton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { fetchMfaStatus } from '../../api/two-factor';
import { ChangeProofFields, type ChangeProofState } from './change-proof';
import { webAuthnQueryOptions } from './security-keys';
import { mfaStatusQueryKey } from './totp-setup';

export interface SecondFactorNeeds {
  /** False until the person's 2FA status is known: a form shows a placeholder rather than fields that may change. */
  ready: boolean;
  /** 2FA is on: a change to one's own sign-in also needs a code or a security key (ChangeProofFields). */
  secondFactorNeeded: boolean;
  /** The person has a security key to confirm with. */
  canUseSecurityKey: boolean;
}

/**
 * What the proof of a change to one's own sign-in must hold besides the current password
 * (docs/product/security-settings.md#two-factor-authentication), read from the same queries as the Two-factor section,
 * so that turning 2FA on there shows the code field in every other form of the page at once.
 */
export function useSecondFactorNeeds(): SecondFactorNeeds {
  const status = useQuery({ queryKey: mfaStatusQueryKey, queryFn: ({ signal }) => fetchMfaStatus(signal) });
  const keys = useQuery(webAuthnQueryOptions);
  return {
    ready: !status.isPending,
    secondFactorNeeded: status.data?.enabled ?? false,
    canUseSecurityKey: (keys.data?.items.length ?? 0) > 0,
  };
}

/**
 * The proof fields of a change to one's own sign-in (ChangeProofFields) with what `needs` says about the person, or a
 * placeholder while their 2FA status loads: the forms of Profile settings and the link dialog.
 */
export function OwnChangeProofFields({
  needs,
  state,
  onChange,
  autoFocus = false,
}: {
  needs: SecondFactorNeeds;
  state: ChangeProofState;
  onChange: (next: ChangeProofState) => void;
  autoFocus?: boolean;
}) {
  if (!needs.ready) return <Skeleton height={60} />;
  return (
    <ChangeProofFields
      state={state}
      onChange={onChange}
      secondFactorNeeded={needs.secondFactorNeeded}
      canUseSecurityKey={needs.canUseSecurityKey}
      autoFocus={autoFocus}
    />
  );
}
