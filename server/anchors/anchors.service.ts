import { leafOf, verifyMerkleProof } from "../../shared/merkle";
import { decodeCursor, toPage } from "../http/common-schemas";
import { NotFoundError } from "../errors";
import type { MembersRepository } from "../members/members.repository";
import { partyLabeller } from "../members/parties";
import type { AnchorRow, AnchorsRepository } from "./anchors.repository";
import type { AnchorView, ListAnchorsQuery, VerifyProofBody } from "./anchors.schemas";

export function createAnchorsService(repository: AnchorsRepository, members: MembersRepository) {
  async function views(rows: AnchorRow[]): Promise<AnchorView[]> {
    const label = await partyLabeller(members, rows.map((row) => row.submitter));
    return rows.map((row) => ({
      root: row.root,
      submitter: label(row.submitter),
      eventCount: row.eventCount,
      uri: row.uri,
      anchoredAt: row.blockTime,
      blockNumber: row.blockNumber,
      blockHash: row.blockHash,
      txHash: row.txHash,
    }));
  }

  return {
    async get(root: string): Promise<AnchorView> {
      const row = await repository.find(root);
      if (!row) throw new NotFoundError("Anchor", root);
      return (await views([row]))[0];
    },
    async list(query: ListAnchorsQuery) {
      const after = decodeCursor<[number, number]>(query.cursor, ["number", "number"]);
      const rows = await repository.list({ submitter: query.submitter, after, limit: query.limit });
      const page = toPage(rows, query.limit, (row) => row, (row) => [row.blockNumber, row.logIndex]);
      return { items: await views(page.items), nextCursor: page.nextCursor };
    },
    /** Checks an inclusion proof against an anchored root, the same computation as the contract's. */
    async verify(body: VerifyProofBody) {
      const leaf = body.leaf ?? leafOf(body.content!);
      const row = await repository.find(body.root);
      const included = verifyMerkleProof(body.root, leaf, body.proof);
      return {
        root: body.root,
        leaf,
        anchored: !!row,
        included,
        verified: !!row && included,
        anchor: row ? (await views([row]))[0] : null,
      };
    },
  };
}
export type AnchorsService = ReturnType<typeof createAnchorsService>;
