import type { ContractName } from "../shared/chain/contracts";
import type { EventArgs } from "./decode";
import type { Touches, WorkingSet } from "./working-set";

/** Where the event being handled sits in the chain. */
export interface EventPosition {
  blockNumber: number;
  blockHash: string;
  txHash: string;
  logIndex: number;
  blockTime: number;
}

export interface HandlerContext {
  set: WorkingSet;
  at: EventPosition;
  /** Which deployed contract is at an address an event names (e.g. a loan's collateral). */
  contractAt(address: string): ContractName | undefined;
}

/** Maps one decoded event to rows. `touches` names the state rows it reads so they can be preloaded. */
export interface EventHandler {
  touches?(args: EventArgs, touches: Touches): void;
  apply(context: HandlerContext, args: EventArgs): void;
}

/** The event names of a TypeChain contract type (its `filters` keys, without the signature forms). */
export type EventNames<C extends { filters: object }> = Exclude<keyof C["filters"], `${string}(${string}`> & string;

const ZERO_HASH = "0x" + "0".repeat(64);
export const ZERO_ADDRESS = "0x" + "0".repeat(40);

export const address = (value: unknown) => (value as string).toLowerCase();
export const hex = (value: unknown) => (value as string).toLowerCase();
/** A bytes32 that means "none" when zero (optional document references). */
export const optionalHash = (value: unknown) => (hex(value) === ZERO_HASH ? null : hex(value));
export const uint = (value: unknown) => (value as bigint).toString();
export const int = (value: unknown) => Number(value as bigint);
/** A uint64 time where 0 means "none". */
export const optionalTime = (value: unknown) => (value === 0n ? null : int(value));

/** Events no table depends on (approvals, admin handovers, EIP-712 domain notices). */
export const ignoredEvent: EventHandler = { apply: () => {} };
