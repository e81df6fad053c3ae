import type { Command } from "commander";
import { formatGtin } from "../../shared/trade-codes";
import { openChain } from "../context";
import { txFields, txSuffix } from "../output";
import { parseGtin, parseHsCode } from "../parse";

/** `product register`: an ENTERPRISE member registers a trade item by its GTIN. */
export function registerProductCommands(program: Command): void {
  const product = program.command("product").description("register products (trade items)");

  product
    .command("register")
    .description("register a product by its GTIN (ENTERPRISE members)")
    .requiredOption("--gtin <gtin>", "GTIN-8/12/13/14 with its check digit, e.g. 6901234567892", parseGtin)
    .requiredOption("--hs <code>", "Harmonized System code of 6, 8 or 10 digits, e.g. 080810", parseHsCode)
    .requiredOption("--name <name>", "the product's name")
    .option("--uri <uri>", "where the product's master data is published", "")
    .action(async (opts: { gtin: bigint; hs: string; name: string; uri: string }, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.ledger.registerProduct(opts.gtin, opts.hs, opts.name, opts.uri));
      const gtin = formatGtin(opts.gtin);
      chain.out.result(`Registered product ${gtin} "${opts.name}" (HS ${opts.hs}) ${txSuffix(receipt)}`, {
        action: "product.register",
        gtin,
        hsCode: opts.hs,
        name: opts.name,
        uri: opts.uri,
        ...txFields(receipt),
      });
    });
}
