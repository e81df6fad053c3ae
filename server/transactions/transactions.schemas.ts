import { z } from "zod";
import { CONTRACT_NAMES } from "../../shared/chain/contracts";
import { addressSchema, bytes32Schema, uintString } from "../http/common-schemas";

const contractName = z.enum(CONTRACT_NAMES);
const hexData = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "must be 0x-prefixed hex bytes");

export const prepareBody = z.object({
  contract: contractName.describe("The deployment's contract to call"),
  function: z
    .string()
    .min(1)
    .max(300)
    .describe("A state-changing function of the contract's ABI, by name (or by signature when it is overloaded)"),
  args: z
    .record(z.string(), z.unknown())
    .default({})
    .describe(
      "The function's arguments by their ABI names: integers as decimal strings or safe integers, addresses and " +
        "bytes/bytesN as 0x hex, structs as objects by field name, arrays as arrays",
    ),
  from: addressSchema.describe("The member that will sign and send the transaction"),
});

export const preparedTransactionSchema = z
  .object({
    chainId: z.number().int(),
    from: z.string().describe("The sender the call was simulated from; only it can sign this transaction"),
    to: z.string().describe("The contract's address"),
    data: z.string().describe("ABI-encoded call data"),
    value: z.literal("0"),
    nonce: z.number().int().describe("The sender's pending transaction count"),
    gasEstimate: uintString.describe("eth_estimateGas for the call"),
    gasLimit: uintString.describe("Suggested gas limit: the estimate plus 25%"),
    type: z.union([z.literal(0), z.literal(2)]).describe("2 (EIP-1559 fees) when the chain has a base fee, 0 (gasPrice) otherwise"),
    maxFeePerGas: uintString.nullable(),
    maxPriorityFeePerGas: uintString.nullable(),
    gasPrice: uintString.nullable(),
    function: z.string().describe("The function's signature, e.g. confirm(uint256)"),
    description: z.string().describe("What the transaction does, for the signer to read before signing"),
  })
  .meta({ id: "PreparedTransaction" });

export const relayBody = z.object({
  signedTransaction: hexData.describe("The signed, serialized transaction (EIP-2718 envelope or legacy RLP), as eth_sendRawTransaction takes it"),
});

export const relayQuery = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(120)
    .default(30)
    .describe("Seconds to wait for the receipt, 0-120 (default 30); 0 answers 202 as soon as the node accepted the transaction"),
});

export const transactionParams = z.object({ hash: bytes32Schema.describe("The transaction hash") });

const eventSchema = z
  .object({
    contract: contractName,
    name: z.string(),
    args: z.record(z.string(), z.unknown()).describe("The event's arguments by name; integers as decimal strings"),
  })
  .meta({ id: "TransactionEvent" });

export const transactionOutcomeSchema = z
  .object({
    hash: z.string(),
    status: z.enum(["success", "reverted", "pending"]),
    blockNumber: z.number().int().nullable(),
    gasUsed: uintString.nullable(),
    from: z.string(),
    to: z.string().nullable(),
    contract: contractName.nullable().describe("The deployment's contract the transaction called; null for any other address"),
    events: z.array(eventSchema).describe("The deployment's events the transaction emitted, in order: they carry the new ids"),
  })
  .meta({ id: "TransactionOutcome" });
