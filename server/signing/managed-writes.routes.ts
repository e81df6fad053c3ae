import { z } from "zod";
import type { RouteTable } from "../http/route";
import { prepareBody, relayQuery, transactionOutcomeSchema } from "../transactions/transactions.schemas";
import type { Keystore } from "./keystore";
import { requireManagedWrites, type ManagedWrites } from "./managed-writes";

const TAG = "Managed signing";

const managedKeySchema = z.object({ address: z.string().describe("The address whose key the server keeps") }).meta({ id: "ManagedKey" });
const managedKeysSchema = z.object({ items: z.array(managedKeySchema) }).meta({ id: "ManagedKeyList" });

export function managedWriteRoutes(routes: RouteTable, writes: ManagedWrites | undefined, keystore: Keystore | undefined): void {
  routes.add({
    method: "post",
    path: "/api/v1/writes",
    operationId: "managedWrite",
    credential: "any",
    tag: TAG,
    summary: "Any contract operation, signed by the server with the caller's managed key, sent and awaited",
    description:
      "For members who let the server keep their key (see /api/v1/managed-keys). The caller is the signer: a " +
      "session token or a read-write API key of that member. The request names the operation as for " +
      "/api/v1/transactions/prepare (contract, function, args by their ABI names). The `Idempotency-Key` header is " +
      "required: a retried request with the same key answers what the first answered and never sends a second " +
      "transaction; the same key with another request is refused (422 IDEMPOTENCY_KEY_REUSED); while the first is " +
      "running a retry gets 409. The operation is simulated first: a call the contract refuses (a missing role, " +
      "BatchRecalled...) answers 422 CONTRACT_REVERT with the decoded error and nothing is sent. Writes of one " +
      "member are given consecutive nonces, so concurrent requests never collide. 200 with the outcome and its " +
      "decoded events (the new ids), or 202 while it is not mined within `wait` seconds.",
    query: relayQuery,
    body: prepareBody.omit({ from: true }),
    response: transactionOutcomeSchema,
    alsoSucceeds: [{ status: 202, description: "Sent, not yet mined within `wait` seconds: status pending" }],
    errorStatuses: [401, 403, 409, 422, 503],
    handler: async ({ body, query, req, res }) => {
      const answer = await requireManagedWrites(writes).write(res.locals.caller, req.get("idempotency-key"), body, query.wait);
      res.status(answer.status);
      return answer.body;
    },
  });
  routes.add({
    method: "post",
    path: "/api/v1/managed-keys",
    operationId: "createManagedKey",
    credential: "token",
    tag: TAG,
    summary: "Create a key the server keeps and signs with (the consortium admin); admit its address as a member",
    description:
      "The key is generated on the server and stored encrypted (scrypt keystore, passphrase from configuration); " +
      "it never leaves the server. Admit the address in the MemberRegistry with the member's roles, and the member " +
      "then writes through POST /api/v1/writes.",
    response: managedKeySchema,
    errorStatuses: [401, 403, 503],
    handler: async ({ res }) => {
      requireManagedWrites(writes);
      res.status(201);
      return { address: await keystore!.add() };
    },
  });
  routes.add({
    method: "get",
    path: "/api/v1/managed-keys",
    operationId: "listManagedKeys",
    credential: "any",
    tag: TAG,
    summary: "The addresses the server signs for (the consortium admin, regulators and auditors)",
    response: managedKeysSchema,
    errorStatuses: [401, 403, 503],
    handler: async ({ res }) => {
      requireManagedWrites(writes);
      return { items: keystore!.addresses().map((address) => ({ address })) };
    },
  });
}
