import type { Command } from "commander";
import { getAddress } from "ethers";
import { outputFor } from "../context";
import { UsageError } from "../errors";
import { readFileOption } from "../parse";
import { createKeystore, keystorePassword, KEYSTORE_PASSWORD_ENV } from "../signer";

/** `keystore new|address`: members keep their key in an encrypted JSON keystore rather than in plain env. */
export function registerKeystoreCommands(program: Command): void {
  const keystore = program.command("keystore").description("create and inspect encrypted JSON keystores");

  keystore
    .command("new")
    .description(`create a keystore holding a new random key, encrypted with ${KEYSTORE_PASSWORD_ENV}; prints its address`)
    .argument("<path>", "where to write the keystore (must not exist)")
    .action(async (file: string, _opts: unknown, command: Command) => {
      const password = keystorePassword("keystore new");
      const address = await createKeystore(file, password);
      outputFor(command).result(`Created keystore ${file} for ${address}; give this address to the consortium admin`, {
        action: "keystore.new",
        keystore: file,
        address,
      });
    });

  keystore
    .command("address")
    .description("print a keystore's address (no password needed)")
    .argument("<path>", "the keystore")
    .action((file: string, _opts: unknown, command: Command) => {
      let address: string;
      try {
        const json = JSON.parse(readFileOption(file, "<path>").toString("utf8")) as { address?: unknown };
        address = getAddress(String(json.address).replace(/^(?!0x)/, "0x"));
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`<path>: ${file} is not a JSON keystore with an address`);
      }
      outputFor(command).result(address, { keystore: file, address });
    });
}
