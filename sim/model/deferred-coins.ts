// The proposed store for a run whose signatures are made on worker threads (sim/crypto/signature-work.ts). The
// issuer writes each coin to its database the moment it makes it, and with deferred signing the coin's issuer
// signature is still a placeholder then; this store writes the coin's real bytes over the row in the barrier that
// fills the signature. Nothing reads a coin's bytes back before that: the issuer reads them only to trace a
// returned record, and a return is processed after a settle that fills every signature made before the bank
// sent it, its coins' included. A stray early read would be a copy of an unfilled placeholder, which the
// signature work refuses loudly when it is verified.
import { Coin } from '../../protocol/messages.ts';
import { ProposedStore } from '../../protocol/store/proposed.ts';
import type { SignatureWork } from '../crypto/signature-work.ts';

export class DeferredCoinStore extends ProposedStore {
  constructor(
    path: string,
    private readonly work: SignatureWork,
  ) {
    super(path);
  }

  override issue(coin: Coin, encoded: Uint8Array, rootId: Uint8Array): void {
    super.issue(coin, encoded, rootId);
    // Same length as what was written (a placeholder is the signature's size), so the row's pages do not change.
    this.work.whenReal(coin.issuerSig, () => this.rewriteCoin(coin.serial, Coin.encodeShortLived(coin)));
  }
}
