// Withdrawal, user side (paper section 4(2)): blind the user's key for the bank's key of the denomination,
// unblind the bank's answer into an issuance request, and assemble what goes to the issuer. The bank never
// sees the key it signs, so it cannot link the account it debited to the coin the issuer will issue.
import type { BlindingState, RandomBytes } from './crypto/scheme.ts';
import { issuanceMessage } from './ids.ts';
import { NONCE_SIZE, type Certificate, type IssuanceRequest, type Redemption } from './messages.ts';
import type { KeySuite } from './suite.ts';

export interface WithdrawalIntent {
  readonly bank: number;
  readonly denomination: number;
  readonly epoch: number;
  readonly userKey: Uint8Array;
}

export interface BlindedWithdrawal {
  /** The intent with the request's nonce (messages.ts: why every request carries one). */
  readonly intent: WithdrawalIntent & { readonly nonce: Uint8Array };
  readonly state: BlindingState;
}

/** Step (i), before the bank: blinds the issuance message under the bank's public key for (denomination, epoch). */
export function blindIssuance(suite: KeySuite, bankKey: Uint8Array, intent: WithdrawalIntent, random: RandomBytes): BlindedWithdrawal {
  const withNonce = { ...intent, nonce: random(NONCE_SIZE) };
  return { intent: withNonce, state: suite.bank.blind(bankKey, issuanceMessage(withNonce), random) };
}

/** Step (i), after the bank: the issuance request (throws if the bank's blind signature does not verify). */
export function unblindIssuance(suite: KeySuite, bankKey: Uint8Array, w: BlindedWithdrawal, blindSig: Uint8Array): IssuanceRequest {
  const bankSig = suite.bank.finalize(bankKey, w.state, blindSig);
  const message = issuanceMessage(w.intent);
  const prefix = w.state.preparedMessage.subarray(0, w.state.preparedMessage.length - message.length);
  return { ...w.intent, prefix: prefix.slice(), bankSig };
}

/** Step (ii): what the user sends the issuer. */
export function redemption(request: IssuanceRequest, certificate: Certificate): Redemption {
  return { request, certificate };
}
