import { ApiError, ForbiddenError, NotReadyError, STATUS_BY_CODE, UnauthorizedError, ValidationError } from "../errors";
import type { Caller } from "../http/authentication";
import type { TransactionOutcome } from "../transactions/outcome";
import { requestHash, type IdempotencyStore } from "./idempotency";
import type { Keystore } from "./keystore";
import type { ManagedSigner, ManagedWrite } from "./managed-signer";

/** Client-chosen, e.g. a UUID: letters, digits and `-_.:`, up to 200 characters. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,200}$/;

export interface WriteAnswer {
  status: number;
  body: unknown;
}

/** A failure worth replaying: the same request would fail the same way (bad input, a revert, a conflict). */
const isDeterministic = (error: unknown): error is ApiError =>
  error instanceof ApiError && (STATUS_BY_CODE[error.code] ?? 500) < 500;

const errorBody = (error: ApiError) => ({ error: { code: error.code, message: error.message, details: error.details ?? null } });

/**
 * Writes the server signs for the caller (managed signing): only for a member whose key the server
 * keeps (the access policy admitted the caller: signed in, with a read-write credential); every write
 * carries an idempotency key, so a retried request answers what the first one answered and never
 * sends a second transaction.
 */
export function createManagedWrites(deps: { signer: ManagedSigner; keystore: Keystore; idempotency: IdempotencyStore }) {
  function writer(caller: Caller): string {
    if (caller.kind === "anonymous") throw new UnauthorizedError("NO_CREDENTIAL", "sign in (Bearer token) or present a read-write API key");
    if (!deps.keystore.has(caller.address)) {
      throw new ForbiddenError(`the server keeps no key for ${caller.address}: sign transactions yourself (POST /api/v1/transactions/prepare)`, {
        reason: "NOT_MANAGED",
      });
    }
    return caller.address;
  }

  /**
   * Runs one idempotent write for `caller`: checks the key and the caller, claims the key for this
   * request (`request` identifies it), lets `perform` sign and send as the member, and stores the
   * answer (or a deterministic refusal) for retries. 202 while the outcome is pending.
   */
  async function run<T extends { status: TransactionOutcome["status"] }>(
    caller: Caller,
    idempotencyKey: string | undefined,
    request: unknown[],
    perform: (member: string) => Promise<T>,
  ): Promise<WriteAnswer> {
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationError([
        { field: "header.idempotency-key", message: "is required: a key of your choice (e.g. a UUID), 1-200 letters, digits or -_.:" },
      ]);
    }
    const member = writer(caller);
    const claim = await deps.idempotency.claim(member, idempotencyKey, requestHash(request));
    if (claim.kind === "replay") return { status: claim.status, body: claim.body };
    if (claim.kind === "in_progress") throw new ApiError("CONFLICT", `a request with idempotency key ${idempotencyKey} is still running: retry later`);
    if (claim.kind === "mismatch") {
      throw new ApiError("IDEMPOTENCY_KEY_REUSED", `idempotency key ${idempotencyKey} was used for another request`, {
        field: "header.idempotency-key",
      });
    }
    let body: T;
    try {
      body = await perform(member);
    } catch (error) {
      if (isDeterministic(error)) {
        await deps.idempotency.complete(member, idempotencyKey, STATUS_BY_CODE[error.code] ?? 400, errorBody(error));
      } else {
        await deps.idempotency.abandon(member, idempotencyKey);
      }
      throw error;
    }
    const answer = { status: body.status === "pending" ? 202 : 200, body };
    await deps.idempotency.complete(member, idempotencyKey, answer.status, answer.body);
    return answer;
  }

  return {
    run,
    /** One contract operation (POST /api/v1/writes). */
    write(caller: Caller, idempotencyKey: string | undefined, write: ManagedWrite, waitSeconds: number): Promise<WriteAnswer> {
      return run(caller, idempotencyKey, [write.contract, write.function, write.args], (member) => deps.signer.execute(member, write, waitSeconds));
    },
    /** The signer the writes go through, for operations built from several calls (EPCIS capture). */
    signer: deps.signer,
  };
}
export type ManagedWrites = ReturnType<typeof createManagedWrites>;

/** The routes answer 503 without a keystore (no MANAGED_KEYS_PASSPHRASE) or a chain to send to. */
export function requireManagedWrites(writes: ManagedWrites | undefined): ManagedWrites {
  if (!writes) throw new NotReadyError("managed signing needs MANAGED_KEYS_PASSPHRASE, RPC_URL and the deployment");
  return writes;
}
