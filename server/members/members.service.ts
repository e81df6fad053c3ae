import { ROLES, roleNames } from "../../shared/roles";
import { decodeCursor, toPage, type Page } from "../http/common-schemas";
import { NotFoundError } from "../errors";
import type { MemberRow, MembersRepository } from "./members.repository";
import type { ListMembersQuery, MemberView } from "./members.schemas";

export function toMemberView(row: MemberRow): MemberView {
  return {
    address: row.address,
    name: row.name,
    roles: roleNames(row.roles),
    status: row.status,
    creditCodeHash: row.creditCodeHash,
    metadataUri: row.metadataUri,
    metadataHash: row.metadataHash,
    admittedAt: row.admittedAt,
    admittedBlock: row.admittedBlock,
    updatedBlock: row.updatedBlock,
  };
}

export function createMembersService(repository: MembersRepository) {
  return {
    async get(address: string): Promise<MemberView> {
      const row = await repository.find(address);
      if (!row) throw new NotFoundError("Member", address);
      return toMemberView(row);
    },
    async list(query: ListMembersQuery): Promise<Page<MemberView>> {
      const after = decodeCursor<[string]>(query.cursor, ["string"])?.[0];
      const rows = await repository.list({
        roleBit: query.role ? ROLES[query.role] : undefined,
        status: query.status,
        after,
        limit: query.limit,
      });
      return toPage(rows, query.limit, toMemberView, (row) => [row.address]);
    },
  };
}
