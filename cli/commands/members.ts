import type { Command } from "commander";
import { sha256Hex, ZERO_HASH } from "../../shared/hashing";
import { roleNames, type RoleName } from "../../shared/roles";
import { openChain } from "../context";
import { formatTime, shortAddress, txFields, txSuffix } from "../output";
import { hashFileOption, hashReason, parseAddress, parseRoles } from "../parse";

const STATUS = ["none", "active", "suspended", "revoked"] as const;
const rolesText = (names: RoleName[]) => (names.length > 0 ? names.join(",") : "no roles");

type Roles = ReturnType<typeof parseRoles>;

/** `member ...` (admin writes and a read of the registry) and `admin ...` (two-step admin handover). */
export function registerMemberCommands(program: Command): void {
  const member = program.command("member").description("admit and manage consortium members (admin), or show one");

  member
    .command("admit")
    .description("admit a member organization (admin only)")
    .argument("<address>", "the member's account", parseAddress)
    .requiredOption("--roles <list>", "comma-separated roles, e.g. ENTERPRISE,WAREHOUSE", parseRoles)
    .requiredOption("--name <name>", "the organization's registered name")
    .requiredOption("--credit-code <uscc>", "unified social credit code (stored as its SHA-256)")
    .option("--metadata-uri <uri>", "where the member's profile document is published", "")
    .option("--metadata-file <path>", "the profile document, stored as its SHA-256")
    .action(async (account: string, opts: { roles: Roles; name: string; creditCode: string; metadataUri: string; metadataFile?: string }, command: Command) => {
      const creditCodeHash = sha256Hex(opts.creditCode.trim());
      const metadataHash = hashFileOption(opts.metadataFile, "--metadata-file");
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(
        contracts.registry.admit(account, opts.roles.bits, creditCodeHash, opts.name, opts.metadataUri, metadataHash),
      );
      chain.out.result(`Admitted ${shortAddress(account)} (${opts.name}) as ${rolesText(opts.roles.names)} ${txSuffix(receipt)}`, {
        action: "member.admit",
        account,
        roles: opts.roles.names,
        roleBits: opts.roles.bits,
        name: opts.name,
        creditCodeHash,
        metadataURI: opts.metadataUri,
        metadataHash,
        ...txFields(receipt),
      });
    });

  member
    .command("roles")
    .description("replace a member's roles (admin only)")
    .argument("<address>", "the member's account", parseAddress)
    .requiredOption("--roles <list>", "the complete new set of roles, comma-separated", parseRoles)
    .action(async (account: string, opts: { roles: Roles }, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.registry.setRoles(account, opts.roles.bits));
      const [changed] = chain.events(receipt, "MemberRolesChanged");
      const previous = roleNames(Number(changed?.args.previousRoles ?? 0));
      chain.out.result(
        `Roles of ${shortAddress(account)} changed from ${rolesText(previous)} to ${rolesText(opts.roles.names)} ${txSuffix(receipt)}`,
        { action: "member.roles", account, previousRoles: previous, roles: opts.roles.names, roleBits: opts.roles.bits, ...txFields(receipt) },
      );
    });

  const transitions = [
    { name: "suspend", method: "suspend", done: "Suspended", help: "suspend an active member (admin only)" },
    { name: "reinstate", method: "reinstate", done: "Reinstated", help: "lift a member's suspension (admin only)" },
    { name: "revoke", method: "revoke", done: "Revoked", help: "revoke a member for good (admin only)" },
  ] as const;
  for (const transition of transitions) {
    member
      .command(transition.name)
      .description(transition.help)
      .argument("<address>", "the member's account", parseAddress)
      .option("--reason <text>", "why (stored as its SHA-256)")
      .action(async (account: string, opts: { reason?: string }, command: Command) => {
        const reasonHash = hashReason(opts.reason);
        const chain = await openChain(command);
        const { contracts } = await chain.member();
        const receipt = await chain.send(contracts.registry[transition.method](account, reasonHash));
        chain.out.result(`${transition.done} ${shortAddress(account)} ${txSuffix(receipt)}`, {
          action: `member.${transition.name}`,
          account,
          reasonHash,
          ...txFields(receipt),
        });
      });
  }

  member
    .command("show")
    .description("show a member's on-chain record")
    .argument("<address>", "the account", parseAddress)
    .action(async (account: string, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const record = await chain.contracts.registry.memberOf(account);
      const status = STATUS[Number(record.status)] ?? `status ${record.status}`;
      const roles = roleNames(Number(record.roles));
      const data = {
        account,
        status,
        roles,
        roleBits: Number(record.roles),
        admittedAt: record.admittedAt === 0n ? null : formatTime(record.admittedAt),
        creditCodeHash: record.creditCodeHash,
        metadataHash: record.metadataHash === ZERO_HASH ? null : record.metadataHash,
      };
      const summary =
        status === "none"
          ? `${account} is not a member`
          : `${account}: ${status}, roles ${rolesText(roles)}, admitted ${data.admittedAt}, credit code hash ${record.creditCodeHash}`;
      chain.out.result(summary, data);
    });

  const admin = program.command("admin").description("hand the consortium admin role over (two steps)");

  admin
    .command("transfer")
    .description("start handing the admin role to <address> (admin only); it must then run `admin accept`")
    .argument("<address>", "the new admin's account", parseAddress)
    .action(async (account: string, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.registry.transferOwnership(account));
      chain.out.result(`Admin handover to ${shortAddress(account)} started; it completes when that account runs \`admin accept\` ${txSuffix(receipt)}`, {
        action: "admin.transfer",
        pendingAdmin: account,
        ...txFields(receipt),
      });
    });

  admin
    .command("accept")
    .description("accept the admin role handed to the signing account")
    .action(async (_opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const { address, contracts } = await chain.member();
      const receipt = await chain.send(contracts.registry.acceptOwnership());
      chain.out.result(`${shortAddress(address)} is now the consortium admin ${txSuffix(receipt)}`, {
        action: "admin.accept",
        admin: address,
        ...txFields(receipt),
      });
    });

  admin
    .command("show")
    .description("show the current and pending admin")
    .action(async (_opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const [owner, pending] = await Promise.all([chain.contracts.registry.owner(), chain.contracts.registry.pendingOwner()]);
      const pendingAdmin = /^0x0{40}$/.test(pending) ? null : pending;
      chain.out.result(`Admin ${owner}${pendingAdmin ? `, handover pending to ${pendingAdmin}` : ""}`, { admin: owner, pendingAdmin });
    });
}
