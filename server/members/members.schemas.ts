import { z } from "zod";
import { ROLE_NAMES, type RoleName } from "../../shared/roles";
import { addressSchema, cursorSchema, limitSchema, pageSchema } from "../http/common-schemas";

export const memberSchema = z
  .object({
    address: z.string(),
    name: z.string(),
    roles: z.array(z.enum(ROLE_NAMES as [RoleName, ...RoleName[]])),
    status: z.enum(["active", "suspended", "revoked"]),
    creditCodeHash: z.string().describe("SHA-256 of the unified social credit code"),
    metadataUri: z.string(),
    metadataHash: z.string(),
    admittedAt: z.number().int().describe("UTC seconds"),
    admittedBlock: z.number().int(),
    updatedBlock: z.number().int(),
  })
  .meta({ id: "Member" });
export type MemberView = z.infer<typeof memberSchema>;

export const memberPageSchema = pageSchema(memberSchema, "MemberPage");

export const listMembersQuery = z.object({
  role: z.enum(ROLE_NAMES as [RoleName, ...RoleName[]]).optional().describe("Only members holding this role"),
  status: z.enum(["active", "suspended", "revoked"]).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListMembersQuery = z.infer<typeof listMembersQuery>;

export const memberParams = z.object({ address: addressSchema });
