import { Command, CommanderError } from "commander";
import { registerAnchorCommands } from "./commands/anchors";
import { registerBatchCommands } from "./commands/batches";
import { registerKeystoreCommands } from "./commands/keystore";
import { registerLoanCommands } from "./commands/loans";
import { registerMemberCommands } from "./commands/members";
import { registerProductCommands } from "./commands/products";
import { registerReceiptCommands } from "./commands/receipts";
import { registerReceivableCommands } from "./commands/receivables";
import { closeConnections, DEFAULT_RPC_URL, rpcUrlOf, type GlobalOptions } from "./context";
import { describeError } from "./errors";
import { toJson } from "./output";
import { KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV } from "./signer";

/** The member CLI: `npm run cli -- <command> ...`. Exit codes: 0 done, 1 refused or failed, 2 invalid input. */
export function buildProgram(): Command {
  const program = new Command("tracefin")
    .description("TraceFin member command line: every write of the ledger, signed with the member's key")
    .option("--rpc <url>", `JSON-RPC endpoint (default: $RPC_URL or ${DEFAULT_RPC_URL})`)
    .option("--deployments <file>", "deployments file (default: $DEPLOYMENTS_FILE or $DATA_DIR/deployments.json)")
    .option("--keystore <path>", `sign with this encrypted JSON keystore (password in $${KEYSTORE_PASSWORD_ENV}); default: $${PRIVATE_KEY_ENV}`)
    .option("--json", "print one machine-readable JSON object instead of a sentence")
    // Subcommands inherit these settings, so they must come before the commands are added.
    .exitOverride()
    .showHelpAfterError("(add --help for usage)");
  registerMemberCommands(program);
  registerProductCommands(program);
  registerBatchCommands(program);
  registerAnchorCommands(program);
  registerReceiptCommands(program);
  registerLoanCommands(program);
  registerReceivableCommands(program);
  registerKeystoreCommands(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    // Commander already printed its message (unknown option, bad argument, missing option...).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const options = program.opts<GlobalOptions>();
    const described = describeError(error, rpcUrlOf(options));
    if (options.json) {
      process.stderr.write(
        toJson({ error: { message: described.message, exitCode: described.exitCode, ...(described.revert ?? {}) } }) + "\n",
      );
    } else {
      process.stderr.write(`Error: ${described.message}\n`);
    }
    if (process.env.TRACEFIN_DEBUG) console.error(error);
    return described.exitCode;
  } finally {
    closeConnections();
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
