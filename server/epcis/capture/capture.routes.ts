import { NotReadyError } from "../../errors";
import type { RouteTable } from "../../http/route";
import { relayQuery } from "../../transactions/transactions.schemas";
import { captureDocumentSchema, captureOutcomeSchema } from "./capture.schemas";
import type { EpcisCapture } from "./capture.service";

export function epcisCaptureRoutes(routes: RouteTable, capture: EpcisCapture | undefined): void {
  routes.add({
    method: "post",
    path: "/api/v1/epcis/capture",
    operationId: "captureEpcis",
    credential: "any",
    tag: "EPCIS",
    summary: "Capture an EPCIS 2.0 document: its events become ledger operations, all in one transaction signed with the caller's managed key",
    description:
      "For members whose key the server keeps (managed signing), with a session token or a read-write API key. The " +
      "`Idempotency-Key` header is required, as for POST /api/v1/writes. Every event is checked first: unsupported or " +
      "malformed content answers 400 VALIDATION_FAILED with one problem per value, `field` being its JSON pointer " +
      "(/epcisBody/eventList/3/bizStep). Lots are GS1 Digital Link class URIs or LGTIN EPCs of registered products; " +
      "parties are did:pkh:eip155 URIs as the export writes them. The ledger calls are simulated together; a call the " +
      "contract refuses answers 422 CONTRACT_REVERT naming the event (`details.field`), and nothing is sent. Then all " +
      "of them go in one ProvenanceLedger.multicall transaction: the document is applied whole or not at all. " +
      "200 with the outcome and, per event, the operation and the batch ids; 202 while it is not mined within `wait` seconds.",
    query: relayQuery,
    body: captureDocumentSchema,
    response: captureOutcomeSchema,
    alsoSucceeds: [{ status: 202, description: "Sent, not yet mined within `wait` seconds: status pending" }],
    errorStatuses: [401, 403, 409, 422, 503],
    handler: async ({ body, query, req, res }) => {
      if (!capture) throw new NotReadyError("EPCIS capture signs with managed keys: it needs MANAGED_KEYS_PASSPHRASE, RPC_URL and the deployment");
      const answer = await capture.capture(res.locals.caller, req.get("idempotency-key"), body, query.wait);
      res.status(answer.status);
      return answer.body;
    },
  });
}
