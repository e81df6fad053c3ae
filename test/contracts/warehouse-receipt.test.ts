/// <reference types="mocha" />
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Interface } from "ethers";
import { ICollateral__factory, IWarehouseReceipt__factory } from "../../typechain-types";
import {
  APPLE_QUANTITY,
  BatchStatus,
  commissionBatch,
  GTIN,
  hashOf,
  input,
  KGM,
  loadFixture,
  output,
  Role,
  shipAndReceive,
  time,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./fixtures";
import {
  appleReceiptFixture,
  applesInWarehouseFixture,
  loanTerms,
  CNY,
  currency,
  DAY,
  DEPOSIT_NOTE,
  goodsKey,
  impersonateLienRegistry,
  INSURED_VALUE,
  issuance,
  issueReceipt,
  LOCATION,
  pledge,
  pledgedReceiptFixture,
  POLICY,
  STORAGE_TERM,
} from "./receipt-fixtures";

const RELEASE_NOTE = hashOf("release note QD-WH-0001");
const COURT_ORDER = hashOf("court order (2024) Lu 02 Zhi Bao 17");

/** ERC-165 id: XOR of the selectors an interface declares itself (inherited ones excluded). */
function interfaceId(iface: Interface, inherited: Interface[] = []): string {
  const excluded = new Set<string>();
  for (const parent of inherited) parent.forEachFunction((f) => excluded.add(f.selector));
  let id = 0n;
  iface.forEachFunction((f) => {
    if (!excluded.has(f.selector)) id ^= BigInt(f.selector);
  });
  return ethers.toBeHex(id, 4);
}

/** Loan terms over the fixture's receipt, offered by the orchard to the bank (not accepted yet). */
async function loadTermsAndOffer(f: Awaited<ReturnType<typeof appleReceiptFixture>>) {
  const terms = await loanTerms(f, f.receiptId, f.orchard);
  await f.liens.connect(f.orchard).offer(terms);
  return terms;
}

/** The block time of a mined transaction. */
async function timeOf(tx: Promise<{ wait(): Promise<{ blockNumber: number } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
}

describe("WarehouseReceipt", function () {
  describe("deployment", function () {
    it("is the ERC-721 'TraceFin Warehouse Receipt' (TFWR) bound to the registry, the ledger and the lien registry", async function () {
      const { receipts, registry, ledger, liens } = await loadFixture(applesInWarehouseFixture);
      expect(await receipts.name()).to.equal("TraceFin Warehouse Receipt");
      expect(await receipts.symbol()).to.equal("TFWR");
      expect(await receipts.registry()).to.equal(await registry.getAddress());
      expect(await receipts.ledger()).to.equal(await ledger.getAddress());
      expect(await receipts.lienRegistry()).to.equal(await liens.getAddress());
      expect(await liens.isCollateralModule(await receipts.getAddress())).to.equal(true);
    });

    it("declares ERC-165, ERC-721, ERC-721 metadata, ICollateral and IWarehouseReceipt", async function () {
      const { receipts } = await loadFixture(applesInWarehouseFixture);
      const collateral = ICollateral__factory.createInterface() as unknown as Interface;
      const warehouseReceipt = IWarehouseReceipt__factory.createInterface() as unknown as Interface;
      for (const id of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", interfaceId(collateral), interfaceId(warehouseReceipt, [collateral])]) {
        expect(await receipts.supportsInterface(id), id).to.equal(true);
      }
      expect(await receipts.supportsInterface("0x780e9d63")).to.equal(false); // not enumerable
      expect(await receipts.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("issue", function () {
    it("mints receipt 1 over the whole batch to the holder and emits ReceiptIssued with every stated value", async function () {
      const { receipts, ledger, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const details = await issuance(appleBatch, orchard);
      expect(await receipts.connect(warehouse).issue.staticCall(details)).to.deep.equal([1n, appleBatch]);

      const tx = receipts.connect(warehouse).issue(details);
      await expect(tx).to.emit(receipts, "Transfer").withArgs(ZERO_ADDRESS, orchard.address, 1n);
      await expect(tx)
        .to.emit(receipts, "ReceiptIssued")
        .withArgs(
          1n,
          appleBatch,
          warehouse.address,
          orchard.address,
          APPLE_QUANTITY,
          KGM,
          details.expiresAt,
          INSURED_VALUE,
          CNY,
          POLICY,
          DEPOSIT_NOTE,
          LOCATION,
        );
      const issuedAt = await timeOf(tx);

      expect(await receipts.ownerOf(1n)).to.equal(orchard.address);
      expect(await receipts.balanceOf(orchard.address)).to.equal(1n);
      expect(await ledger.isUnderReceipt(appleBatch)).to.equal(true);
      const view = await receipts.receiptOf(1n);
      expect(view.holder).to.equal(orchard.address);
      expect(view.warehouse).to.equal(warehouse.address);
      expect(view.batchId).to.equal(appleBatch);
      expect(view.quantity).to.equal(APPLE_QUANTITY);
      expect(view.unit).to.equal(KGM);
      expect(view.batchStatus).to.equal(BatchStatus.Active);
      expect(view.issuedAt).to.equal(issuedAt);
      expect(view.expiresAt).to.equal(details.expiresAt);
      expect([view.pledged, view.frozen, view.redemptionRequested]).to.deep.equal([false, false, false]);
    });

    it("for part of a batch covers a new child batch split off in the ledger", async function () {
      const { receipts, ledger, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const childId = appleBatch + 1n;
      const details = await issuance(appleBatch, orchard, { quantity: 300n });
      expect(await receipts.connect(warehouse).issue.staticCall(details)).to.deep.equal([1n, childId]);
      const tx = receipts.connect(warehouse).issue(details);
      await expect(tx).to.emit(ledger, "BatchSplit").withArgs(appleBatch, childId, 300n);
      await expect(tx).to.emit(receipts, "ReceiptIssued").withArgs(
        1n,
        childId,
        warehouse.address,
        orchard.address,
        300n,
        KGM,
        details.expiresAt,
        INSURED_VALUE,
        CNY,
        POLICY,
        DEPOSIT_NOTE,
        LOCATION,
      );
      expect((await receipts.receiptOf(1n)).quantity).to.equal(300n);
      expect((await ledger.batchOf(appleBatch)).quantity).to.equal(700n);
    });

    it("numbers receipts 1, 2, 3 and lets the free rest of a batch be receipted to another holder", async function () {
      const { receipts, warehouse, orchard, juicePlant, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const first = await issueReceipt(receipts, warehouse, await issuance(appleBatch, orchard, { quantity: 100n }));
      const second = await issueReceipt(receipts, warehouse, await issuance(appleBatch, juicePlant, { quantity: 200n }));
      const third = await issueReceipt(receipts, warehouse, await issuance(appleBatch, orchard, { quantity: 700n }));
      expect([first.receiptId, second.receiptId, third.receiptId]).to.deep.equal([1n, 2n, 3n]);
      expect(third.batchId).to.equal(appleBatch); // the last receipt takes what is left of the batch itself
      expect(await receipts.balanceOf(orchard.address)).to.equal(2n);
    });

    it("accepts a receipt without a term (expiresAt 0) and without insurance (value, currency and policy 0)", async function () {
      const { receipts, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const details = await issuance(appleBatch, orchard, { expiresAt: 0n, insuredValue: 0n, insuranceCurrency: "0x000000", policyHash: ZERO_HASH });
      await expect(receipts.connect(warehouse).issue(details))
        .to.emit(receipts, "ReceiptIssued")
        .withArgs(1n, appleBatch, warehouse.address, orchard.address, APPLE_QUANTITY, KGM, 0n, 0n, "0x000000", ZERO_HASH, DEPOSIT_NOTE, LOCATION);
      // Without a term it never expires.
      await time.increase(10n * 365n * DAY);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, warehouse.address, 1n)).to.emit(receipts, "Transfer");
    });

    it("lets a warehouse issue several receipts in one multicall", async function () {
      const { receipts, warehouse, orchard, juicePlant, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const calls = [
        receipts.interface.encodeFunctionData("issue", [await issuance(appleBatch, orchard, { quantity: 100n })]),
        receipts.interface.encodeFunctionData("issue", [await issuance(appleBatch, juicePlant, { quantity: 100n })]),
      ];
      await receipts.connect(warehouse).multicall(calls);
      expect(await receipts.ownerOf(1n)).to.equal(orchard.address);
      expect(await receipts.ownerOf(2n)).to.equal(juicePlant.address);
    });

    it("reverts with MissingRole(caller, WAREHOUSE) for a caller that is not an active warehouse", async function () {
      const { receipts, registry, admin, warehouse, orchard, outsider, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const details = await issuance(appleBatch, orchard);
      for (const caller of [orchard, outsider]) {
        await expect(receipts.connect(caller).issue(details))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(caller.address, Role.WAREHOUSE);
      }
      await registry.connect(admin).suspend(warehouse.address, ZERO_HASH);
      await expect(receipts.connect(warehouse).issue(details))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(warehouse.address, Role.WAREHOUSE);
    });

    it("reverts with MissingRole(holder, 0) for a holder that is not an active member", async function () {
      const { receipts, registry, admin, warehouse, bank, outsider, appleBatch } = await loadFixture(applesInWarehouseFixture);
      await registry.connect(admin).suspend(bank.address, ZERO_HASH);
      for (const holder of [outsider, bank]) {
        await expect(receipts.connect(warehouse).issue(await issuance(appleBatch, holder)))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(holder.address, Role.ANY_MEMBER);
      }
    });

    it("reverts with InvalidExpiry for a term that ends now or in the past", async function () {
      const { receipts, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const next = BigInt(await time.latest()) + 1n; // the block time of the next transaction
      await time.setNextBlockTimestamp(next);
      await expect(receipts.connect(warehouse).issue(await issuance(appleBatch, orchard, { expiresAt: next })))
        .to.be.revertedWithCustomError(receipts, "InvalidExpiry")
        .withArgs(next);
      await expect(receipts.connect(warehouse).issue(await issuance(appleBatch, orchard, { expiresAt: 1n })))
        .to.be.revertedWithCustomError(receipts, "InvalidExpiry")
        .withArgs(1n);
    });

    it("reverts with InvalidCurrency unless insurance is stated in three ASCII capital letters", async function () {
      const { receipts, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      for (const code of [currency("cny"), currency("CN1"), "0x434e00", "0x000000"]) {
        await expect(receipts.connect(warehouse).issue(await issuance(appleBatch, orchard, { insuranceCurrency: code })))
          .to.be.revertedWithCustomError(receipts, "InvalidCurrency")
          .withArgs(code);
      }
      // A policy without a value still names its currency.
      await expect(
        receipts.connect(warehouse).issue(await issuance(appleBatch, orchard, { insuredValue: 0n, insuranceCurrency: "0x000000" })),
      )
        .to.be.revertedWithCustomError(receipts, "InvalidCurrency")
        .withArgs("0x000000");
    });

    it("reverts with the ledger's ZeroQuantity and UnknownBatch", async function () {
      const { receipts, ledger, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      await expect(receipts.connect(warehouse).issue(await issuance(appleBatch, orchard, { quantity: 0n }))).to.be.revertedWithCustomError(
        ledger,
        "ZeroQuantity",
      );
      await expect(receipts.connect(warehouse).issue(await issuance(77n, orchard)))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(77n);
    });
  });

  describe("double finance is impossible", function () {
    it("a second receipt over the same goods reverts with BatchUnderReceipt, whole or in part", async function () {
      const { receipts, ledger, warehouse, juicePlant, appleBatch } = await loadFixture(appleReceiptFixture);
      for (const quantity of [APPLE_QUANTITY, 1n]) {
        await expect(receipts.connect(warehouse).issue(await issuance(appleBatch, juicePlant, { quantity })))
          .to.be.revertedWithCustomError(ledger, "BatchUnderReceipt")
          .withArgs(appleBatch);
      }
    });

    it("a receipt without custody reverts with NotCustodian: goods still at the depositor, or on their way", async function () {
      const { receipts, ledger, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const atOrchard = await commissionBatch(ledger, orchard, { quantity: 50n });
      await expect(receipts.connect(warehouse).issue(await issuance(atOrchard, orchard, { quantity: 50n })))
        .to.be.revertedWithCustomError(ledger, "NotCustodian")
        .withArgs(atOrchard, warehouse.address, orchard.address);

      await ledger.connect(orchard).ship(atOrchard, warehouse.address, 50n, ZERO_ADDRESS, ZERO_HASH);
      await expect(receipts.connect(warehouse).issue(await issuance(atOrchard, orchard, { quantity: 50n })))
        .to.be.revertedWithCustomError(ledger, "BatchInTransit")
        .withArgs(atOrchard);
      expect(appleBatch).to.equal(1n);
    });

    it("a receipt for more than the warehouse holds reverts with InsufficientQuantity(requested, available)", async function () {
      const { receipts, ledger, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      await expect(receipts.connect(warehouse).issue(await issuance(appleBatch, orchard, { quantity: APPLE_QUANTITY + 1n })))
        .to.be.revertedWithCustomError(ledger, "InsufficientQuantity")
        .withArgs(appleBatch, APPLE_QUANTITY + 1n, APPLE_QUANTITY);
    });

    it("receipted goods cannot be shipped out of the warehouse (BatchUnderReceipt)", async function () {
      const { ledger, warehouse, juicePlant, appleBatch } = await loadFixture(appleReceiptFixture);
      await expect(ledger.connect(warehouse).ship(appleBatch, juicePlant.address, 10n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchUnderReceipt")
        .withArgs(appleBatch);
    });

    it("receipted goods cannot be pledged twice: the lien registry refuses a second lien on the same key", async function () {
      const f = await loadFixture(pledgedReceiptFixture);
      const key = await goodsKey(f, f.appleBatch);
      const loanId = await f.liens.loanIdOf(f.terms);
      const again = { ...f.terms, salt: hashOf("second loan") };
      await expect(f.liens.connect(f.orchard).offer(again))
        .to.be.revertedWithCustomError(f.liens, "CollateralAlreadyPledged")
        .withArgs(key, loanId);
    });

    it("a pledged receipt cannot be transferred, split or redeemed (ReceiptIsPledged)", async function () {
      const { receipts, orchard, juicePlant, receiptId } = await loadFixture(pledgedReceiptFixture);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
      await expect(receipts.connect(orchard)["safeTransferFrom(address,address,uint256)"](orchard.address, juicePlant.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
      await expect(receipts.connect(orchard).split(receiptId, [100n]))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
      await expect(receipts.connect(orchard).requestRedemption(receiptId))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsPledged")
        .withArgs(receiptId);
    });

    it("an operator approved before the pledge cannot move the pledged receipt either", async function () {
      const f = await loadFixture(appleReceiptFixture);
      await f.receipts.connect(f.orchard).approve(f.juicePlant.address, f.receiptId);
      await pledge(f, f.receiptId, f.orchard);
      await expect(f.receipts.connect(f.juicePlant).transferFrom(f.orchard.address, f.juicePlant.address, f.receiptId))
        .to.be.revertedWithCustomError(f.receipts, "ReceiptIsPledged")
        .withArgs(f.receiptId);
    });
  });

  describe("ERC-721 transfers between members", function () {
    it("transferFrom by the holder moves the receipt (Transfer) and the title to the goods with it", async function () {
      const { receipts, orchard, juicePlant, warehouse, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId))
        .to.emit(receipts, "Transfer")
        .withArgs(orchard.address, juicePlant.address, receiptId);
      expect(await receipts.ownerOf(receiptId)).to.equal(juicePlant.address);
      expect(await receipts.balanceOf(orchard.address)).to.equal(0n);
      expect(await receipts.balanceOf(juicePlant.address)).to.equal(1n);
      const view = await receipts.receiptOf(receiptId);
      expect([view.holder, view.warehouse]).to.deep.equal([juicePlant.address, warehouse.address]);
      expect(await receipts.collateralHolder(receiptId)).to.equal(juicePlant.address);
    });

    it("safeTransferFrom, with and without data, moves the receipt to a member account", async function () {
      const { receipts, orchard, juicePlant, bank, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(orchard)["safeTransferFrom(address,address,uint256)"](orchard.address, juicePlant.address, receiptId))
        .to.emit(receipts, "Transfer")
        .withArgs(orchard.address, juicePlant.address, receiptId);
      await expect(
        receipts.connect(juicePlant)["safeTransferFrom(address,address,uint256,bytes)"](juicePlant.address, bank.address, receiptId, "0x1234"),
      )
        .to.emit(receipts, "Transfer")
        .withArgs(juicePlant.address, bank.address, receiptId);
    });

    it("safeTransferFrom still checks that a member contract can receive ERC-721 tokens", async function () {
      const { receipts, registry, admin, orchard, receiptId } = await loadFixture(appleReceiptFixture);
      const contractMember = await registry.getAddress(); // any contract without onERC721Received
      await registry.connect(admin).admit(contractMember, Role.ENTERPRISE, hashOf("contract member"), "Contract", "", ZERO_HASH);
      await expect(receipts.connect(orchard)["safeTransferFrom(address,address,uint256)"](orchard.address, contractMember, receiptId))
        .to.be.revertedWithCustomError(receipts, "ERC721InvalidReceiver")
        .withArgs(contractMember);
    });

    it("an approved operator or an operator for all may transfer; the approval is cleared by the transfer", async function () {
      const { receipts, orchard, juicePlant, bank, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(orchard).approve(bank.address, receiptId))
        .to.emit(receipts, "Approval")
        .withArgs(orchard.address, bank.address, receiptId);
      expect(await receipts.getApproved(receiptId)).to.equal(bank.address);
      await receipts.connect(bank).transferFrom(orchard.address, juicePlant.address, receiptId);
      expect(await receipts.getApproved(receiptId)).to.equal(ZERO_ADDRESS);

      await expect(receipts.connect(juicePlant).setApprovalForAll(bank.address, true))
        .to.emit(receipts, "ApprovalForAll")
        .withArgs(juicePlant.address, bank.address, true);
      await receipts.connect(bank).transferFrom(juicePlant.address, orchard.address, receiptId);
      expect(await receipts.ownerOf(receiptId)).to.equal(orchard.address);
    });

    it("keeps ERC-721's own errors: unapproved caller, wrong owner, zero recipient, unknown token", async function () {
      const { receipts, orchard, juicePlant, bank, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(bank).transferFrom(orchard.address, bank.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "ERC721InsufficientApproval")
        .withArgs(bank.address, receiptId);
      await expect(receipts.connect(orchard).transferFrom(juicePlant.address, bank.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "ERC721IncorrectOwner")
        .withArgs(juicePlant.address, receiptId, orchard.address);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, ZERO_ADDRESS, receiptId))
        .to.be.revertedWithCustomError(receipts, "ERC721InvalidReceiver")
        .withArgs(ZERO_ADDRESS);
      await expect(receipts.ownerOf(9n)).to.be.revertedWithCustomError(receipts, "ERC721NonexistentToken").withArgs(9n);
    });

    it("reverts with TransferToNonMember for a recipient that is not an active member", async function () {
      const { receipts, registry, admin, orchard, bank, outsider, receiptId } = await loadFixture(appleReceiptFixture);
      await registry.connect(admin).suspend(bank.address, ZERO_HASH);
      for (const to of [outsider, bank]) {
        await expect(receipts.connect(orchard).transferFrom(orchard.address, to.address, receiptId))
          .to.be.revertedWithCustomError(receipts, "TransferToNonMember")
          .withArgs(to.address);
        await expect(receipts.connect(orchard)["safeTransferFrom(address,address,uint256)"](orchard.address, to.address, receiptId))
          .to.be.revertedWithCustomError(receipts, "TransferToNonMember")
          .withArgs(to.address);
      }
    });

    it("reverts with MissingRole(holder, 0) when the holder is suspended, even through an operator it approved", async function () {
      const { receipts, registry, admin, orchard, juicePlant, bank, receiptId } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).approve(bank.address, receiptId);
      await registry.connect(admin).suspend(orchard.address, ZERO_HASH);
      for (const caller of [orchard, bank]) {
        await expect(receipts.connect(caller).transferFrom(orchard.address, juicePlant.address, receiptId))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(orchard.address, Role.ANY_MEMBER);
      }
    });

    it("reverts with RedemptionPending while the holder's redemption request is open", async function () {
      const { receipts, orchard, juicePlant, receiptId } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).requestRedemption(receiptId);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "RedemptionPending")
        .withArgs(receiptId);
      await receipts.connect(orchard).cancelRedemption(receiptId);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId)).to.emit(receipts, "Transfer");
    });

    it("reverts with ReceiptExpired(id, expiresAt) from the end of the storage term", async function () {
      const { receipts, orchard, juicePlant, receiptId, expiresAt } = await loadFixture(appleReceiptFixture);
      await time.setNextBlockTimestamp(expiresAt);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId))
        .to.be.revertedWithCustomError(receipts, "ReceiptExpired")
        .withArgs(receiptId, expiresAt);
    });
  });

  describe("split", function () {
    it("keeps the remainder and mints one receipt per part on a new locked child batch (ReceiptSplit)", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const { receipts, ledger, orchard, warehouse, receiptId, appleBatch, expiresAt } = f;
      expect(await receipts.connect(orchard).split.staticCall(receiptId, [100n, 250n])).to.deep.equal([2n, 3n]);

      const tx = receipts.connect(orchard).split(receiptId, [100n, 250n]);
      await expect(tx).to.emit(ledger, "BatchSplit").withArgs(appleBatch, appleBatch + 1n, 100n);
      await expect(tx).to.emit(ledger, "BatchSplit").withArgs(appleBatch, appleBatch + 2n, 250n);
      await expect(tx).to.emit(receipts, "Transfer").withArgs(ZERO_ADDRESS, orchard.address, 2n);
      await expect(tx).to.emit(receipts, "Transfer").withArgs(ZERO_ADDRESS, orchard.address, 3n);
      await expect(tx)
        .to.emit(receipts, "ReceiptSplit")
        .withArgs(receiptId, 650n, [2n, 3n], [appleBatch + 1n, appleBatch + 2n], [100n, 250n]);
      const splitAt = await timeOf(tx);

      const [kept, first, second] = await Promise.all([1n, 2n, 3n].map((id) => receipts.receiptOf(id)));
      expect([kept.quantity, first.quantity, second.quantity]).to.deep.equal([650n, 100n, 250n]);
      expect([first.batchId, second.batchId]).to.deep.equal([appleBatch + 1n, appleBatch + 2n]);
      for (const part of [first, second]) {
        expect(part.holder).to.equal(orchard.address);
        expect(part.warehouse).to.equal(warehouse.address);
        expect(part.expiresAt).to.equal(expiresAt);
        expect(part.issuedAt).to.equal(splitAt);
        expect(part.unit).to.equal(KGM);
      }
      expect(await ledger.isUnderReceipt(appleBatch + 1n)).to.equal(true);
      expect(await ledger.isUnderReceipt(appleBatch + 2n)).to.equal(true);
      expect(await receipts.balanceOf(orchard.address)).to.equal(3n);
      // Different goods, different collateral keys.
      expect(await receipts.collateralKey(2n)).to.equal(await goodsKey(f, appleBatch + 1n));
    });

    it("the new receipts are free: they can be transferred and redeemed on their own", async function () {
      const { receipts, ledger, orchard, juicePlant, warehouse, receiptId } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).split(receiptId, [100n]);
      await receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, 2n);
      await receipts.connect(juicePlant).requestRedemption(2n);
      await receipts.connect(warehouse).confirmRedemption(2n, RELEASE_NOTE);
      const released = await ledger.batchOf((await receipts.receiptOf(1n)).batchId + 1n);
      expect([released.custodian, released.quantity, released.underReceipt]).to.deep.equal([juicePlant.address, 100n, false]);
    });

    it("reverts with InvalidSplit for no parts, a zero part, or parts that leave nothing to the original", async function () {
      const { receipts, orchard, receiptId } = await loadFixture(appleReceiptFixture);
      for (const quantities of [[], [0n], [100n, 0n], [APPLE_QUANTITY], [600n, 400n], [APPLE_QUANTITY + 1n]]) {
        await expect(receipts.connect(orchard).split(receiptId, quantities))
          .to.be.revertedWithCustomError(receipts, "InvalidSplit")
          .withArgs(receiptId);
      }
    });

    it("reverts with NotHolder for anyone but the holder, the warehouse included, and UnknownReceipt", async function () {
      const { receipts, orchard, warehouse, juicePlant, receiptId } = await loadFixture(appleReceiptFixture);
      for (const caller of [warehouse, juicePlant]) {
        await expect(receipts.connect(caller).split(receiptId, [1n]))
          .to.be.revertedWithCustomError(receipts, "NotHolder")
          .withArgs(receiptId, caller.address, orchard.address);
      }
      await expect(receipts.connect(orchard).split(5n, [1n])).to.be.revertedWithCustomError(receipts, "UnknownReceipt").withArgs(5n);
    });

    it("reverts with MissingRole for a suspended holder, RedemptionPending and ReceiptExpired", async function () {
      const { receipts, registry, admin, orchard, receiptId, expiresAt } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).requestRedemption(receiptId);
      await expect(receipts.connect(orchard).split(receiptId, [1n]))
        .to.be.revertedWithCustomError(receipts, "RedemptionPending")
        .withArgs(receiptId);
      await receipts.connect(orchard).cancelRedemption(receiptId);

      await registry.connect(admin).suspend(orchard.address, ZERO_HASH);
      await expect(receipts.connect(orchard).split(receiptId, [1n]))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(orchard.address, Role.ANY_MEMBER);
      await registry.connect(admin).reinstate(orchard.address, ZERO_HASH);

      await time.increaseTo(expiresAt);
      await expect(receipts.connect(orchard).split(receiptId, [1n]))
        .to.be.revertedWithCustomError(receipts, "ReceiptExpired")
        .withArgs(receiptId, expiresAt);
    });

    it("reverts with the ledger's BatchOnHold while the goods are on hold", async function () {
      const { receipts, ledger, regulator, orchard, receiptId, appleBatch } = await loadFixture(appleReceiptFixture);
      await ledger.connect(regulator).hold(appleBatch, ZERO_HASH);
      await expect(receipts.connect(orchard).split(receiptId, [1n]))
        .to.be.revertedWithCustomError(ledger, "BatchOnHold")
        .withArgs(appleBatch);
    });
  });

  describe("redemption", function () {
    it("requestRedemption and cancelRedemption by the holder set and clear the flag, with their events", async function () {
      const { receipts, orchard, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(orchard).requestRedemption(receiptId))
        .to.emit(receipts, "RedemptionRequested")
        .withArgs(receiptId, orchard.address);
      expect((await receipts.receiptOf(receiptId)).redemptionRequested).to.equal(true);
      await expect(receipts.connect(orchard).cancelRedemption(receiptId))
        .to.emit(receipts, "RedemptionCancelled")
        .withArgs(receiptId, orchard.address);
      expect((await receipts.receiptOf(receiptId)).redemptionRequested).to.equal(false);
    });

    it("requestRedemption reverts with RedemptionPending when already requested; cancel with NoRedemptionRequested when not", async function () {
      const { receipts, orchard, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(orchard).cancelRedemption(receiptId))
        .to.be.revertedWithCustomError(receipts, "NoRedemptionRequested")
        .withArgs(receiptId);
      await receipts.connect(orchard).requestRedemption(receiptId);
      await expect(receipts.connect(orchard).requestRedemption(receiptId))
        .to.be.revertedWithCustomError(receipts, "RedemptionPending")
        .withArgs(receiptId);
    });

    it("request and cancel revert with NotHolder for others and MissingRole for a suspended holder", async function () {
      const { receipts, registry, admin, orchard, warehouse, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(warehouse).requestRedemption(receiptId))
        .to.be.revertedWithCustomError(receipts, "NotHolder")
        .withArgs(receiptId, warehouse.address, orchard.address);
      await receipts.connect(orchard).requestRedemption(receiptId);
      await expect(receipts.connect(warehouse).cancelRedemption(receiptId))
        .to.be.revertedWithCustomError(receipts, "NotHolder")
        .withArgs(receiptId, warehouse.address, orchard.address);
      await registry.connect(admin).suspend(orchard.address, ZERO_HASH);
      await expect(receipts.connect(orchard).cancelRedemption(receiptId))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(orchard.address, Role.ANY_MEMBER);
    });

    it("confirmRedemption burns the receipt and hands the goods to the holder (BatchShipped + BatchReceived)", async function () {
      const { receipts, ledger, orchard, juicePlant, warehouse, receiptId, appleBatch } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId);
      await receipts.connect(juicePlant).requestRedemption(receiptId);

      const tx = receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE);
      await expect(tx).to.emit(receipts, "Transfer").withArgs(juicePlant.address, ZERO_ADDRESS, receiptId);
      await expect(tx)
        .to.emit(ledger, "BatchShipped")
        .withArgs(appleBatch, warehouse.address, juicePlant.address, APPLE_QUANTITY, ZERO_ADDRESS, RELEASE_NOTE);
      await expect(tx).to.emit(ledger, "BatchReceived").withArgs(appleBatch, warehouse.address, juicePlant.address);
      await expect(tx).to.emit(receipts, "ReceiptRedeemed").withArgs(receiptId, appleBatch, juicePlant.address, RELEASE_NOTE);

      await expect(receipts.ownerOf(receiptId)).to.be.revertedWithCustomError(receipts, "ERC721NonexistentToken");
      await expect(receipts.receiptOf(receiptId)).to.be.revertedWithCustomError(receipts, "UnknownReceipt").withArgs(receiptId);
      expect(await receipts.balanceOf(juicePlant.address)).to.equal(0n);
      const batch = await ledger.batchOf(appleBatch);
      expect([batch.custodian, batch.underReceipt, batch.status]).to.deep.equal([juicePlant.address, false, BatchStatus.Active]);
      // The goods are the holder's to use.
      await expect(ledger.connect(juicePlant).transform([input(appleBatch, APPLE_QUANTITY)], [output(GTIN.JUICE, 600n)], ZERO_HASH)).to.emit(
        ledger,
        "BatchesTransformed",
      );
    });

    it("an expired receipt can still be redeemed (the goods must leave some day)", async function () {
      const { receipts, orchard, warehouse, receiptId, expiresAt } = await loadFixture(appleReceiptFixture);
      await time.increaseTo(expiresAt + DAY);
      await receipts.connect(orchard).requestRedemption(receiptId);
      await expect(receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE)).to.emit(receipts, "ReceiptRedeemed");
    });

    it("a receipt the warehouse holds itself is redeemed without a custody move", async function () {
      const { receipts, ledger, warehouse, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const { receiptId } = await issueReceipt(receipts, warehouse, await issuance(appleBatch, warehouse));
      await receipts.connect(warehouse).requestRedemption(receiptId);
      const tx = receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE);
      await expect(tx).to.emit(receipts, "ReceiptRedeemed").withArgs(receiptId, appleBatch, warehouse.address, RELEASE_NOTE);
      await expect(tx).not.to.emit(ledger, "BatchShipped");
      expect(await ledger.isUnderReceipt(appleBatch)).to.equal(false);
    });

    it("confirmRedemption reverts with NoRedemptionRequested until the holder asked", async function () {
      const { receipts, warehouse, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE))
        .to.be.revertedWithCustomError(receipts, "NoRedemptionRequested")
        .withArgs(receiptId);
    });

    it("confirmRedemption reverts with NotIssuingWarehouse for anyone but the warehouse, MissingRole if it is suspended", async function () {
      const { receipts, registry, admin, orchard, warehouse, regulator, receiptId } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).requestRedemption(receiptId);
      for (const caller of [orchard, regulator]) {
        await expect(receipts.connect(caller).confirmRedemption(receiptId, RELEASE_NOTE))
          .to.be.revertedWithCustomError(receipts, "NotIssuingWarehouse")
          .withArgs(receiptId, caller.address, warehouse.address);
      }
      await registry.connect(admin).suspend(warehouse.address, ZERO_HASH);
      await expect(receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(warehouse.address, Role.WAREHOUSE);
      await expect(receipts.connect(warehouse).confirmRedemption(4n, RELEASE_NOTE))
        .to.be.revertedWithCustomError(receipts, "UnknownReceipt")
        .withArgs(4n);
    });

    it("confirmRedemption reverts with MissingRole(holder, 0) when the holder was suspended after asking", async function () {
      const { receipts, registry, admin, orchard, warehouse, receiptId } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).requestRedemption(receiptId);
      await registry.connect(admin).suspend(orchard.address, ZERO_HASH);
      await expect(receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(orchard.address, Role.ANY_MEMBER);
    });

    it("recalled goods cannot be redeemed (BatchRecalled), held goods not until released (BatchOnHold)", async function () {
      const { receipts, ledger, orchard, regulator, warehouse, receiptId, appleBatch } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).requestRedemption(receiptId);
      await ledger.connect(regulator).hold(appleBatch, hashOf("lab test"));
      await expect(receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE))
        .to.be.revertedWithCustomError(ledger, "BatchOnHold")
        .withArgs(appleBatch);
      await ledger.connect(regulator).recall(appleBatch, hashOf("contamination"));
      await expect(receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
    });
  });

  describe("warehouse: attest, extend, updateInsurance", function () {
    it("attest records an inventory check (InventoryAttested), also on a frozen or pledged receipt", async function () {
      const { receipts, regulator, warehouse, receiptId } = await loadFixture(pledgedReceiptFixture);
      await receipts.connect(regulator).freeze(receiptId, COURT_ORDER);
      await expect(receipts.connect(warehouse).attest(receiptId, hashOf("weighing 2024-11-02")))
        .to.emit(receipts, "InventoryAttested")
        .withArgs(receiptId, warehouse.address, hashOf("weighing 2024-11-02"));
    });

    it("extend moves the end of the term later (ReceiptExtended) and revives an expired receipt", async function () {
      const { receipts, orchard, juicePlant, warehouse, receiptId, expiresAt } = await loadFixture(appleReceiptFixture);
      await time.increaseTo(expiresAt + DAY);
      const later = expiresAt + STORAGE_TERM;
      await expect(receipts.connect(warehouse).extend(receiptId, later)).to.emit(receipts, "ReceiptExtended").withArgs(receiptId, later);
      expect((await receipts.receiptOf(receiptId)).expiresAt).to.equal(later);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId)).to.emit(receipts, "Transfer");
    });

    it("extend reverts with InvalidExpiry for an earlier or equal date, a past date, or a receipt without a term", async function () {
      const { receipts, ledger, warehouse, orchard, receiptId, expiresAt } = await loadFixture(appleReceiptFixture);
      for (const date of [expiresAt, expiresAt - 1n]) {
        await expect(receipts.connect(warehouse).extend(receiptId, date)).to.be.revertedWithCustomError(receipts, "InvalidExpiry").withArgs(date);
      }

      const pears = await commissionBatch(ledger, orchard, { quantity: 10n });
      await shipAndReceive(ledger, pears, orchard, warehouse, 10n);
      const unlimited = await issueReceipt(receipts, warehouse, await issuance(pears, orchard, { quantity: 10n, expiresAt: 0n }));
      await expect(receipts.connect(warehouse).extend(unlimited.receiptId, expiresAt))
        .to.be.revertedWithCustomError(receipts, "InvalidExpiry")
        .withArgs(expiresAt);

      await time.increaseTo(expiresAt + 10n * DAY);
      await expect(receipts.connect(warehouse).extend(receiptId, expiresAt + DAY))
        .to.be.revertedWithCustomError(receipts, "InvalidExpiry")
        .withArgs(expiresAt + DAY);
    });

    it("updateInsurance records a new policy (InsuranceUpdated) or its end (all zero), checking the currency", async function () {
      const { receipts, warehouse, receiptId } = await loadFixture(appleReceiptFixture);
      const renewed = hashOf("PICC cargo policy 2025-QD-0042");
      await expect(receipts.connect(warehouse).updateInsurance(receiptId, 900_000n, currency("USD"), renewed))
        .to.emit(receipts, "InsuranceUpdated")
        .withArgs(receiptId, 900_000n, currency("USD"), renewed);
      await expect(receipts.connect(warehouse).updateInsurance(receiptId, 0n, "0x000000", ZERO_HASH))
        .to.emit(receipts, "InsuranceUpdated")
        .withArgs(receiptId, 0n, "0x000000", ZERO_HASH);
      await expect(receipts.connect(warehouse).updateInsurance(receiptId, 1n, currency("usd"), renewed))
        .to.be.revertedWithCustomError(receipts, "InvalidCurrency")
        .withArgs(currency("usd"));
    });

    it("attest, extend and updateInsurance revert with NotIssuingWarehouse for others and MissingRole for a suspended warehouse", async function () {
      const { receipts, registry, admin, orchard, warehouse, receiptId, expiresAt } = await loadFixture(appleReceiptFixture);
      const calls = [
        (caller: typeof orchard) => receipts.connect(caller).attest(receiptId, ZERO_HASH),
        (caller: typeof orchard) => receipts.connect(caller).extend(receiptId, expiresAt + DAY),
        (caller: typeof orchard) => receipts.connect(caller).updateInsurance(receiptId, 1n, CNY, ZERO_HASH),
      ];
      for (const call of calls) {
        await expect(call(orchard))
          .to.be.revertedWithCustomError(receipts, "NotIssuingWarehouse")
          .withArgs(receiptId, orchard.address, warehouse.address);
      }
      await registry.connect(admin).suspend(warehouse.address, ZERO_HASH);
      for (const call of calls) {
        await expect(call(warehouse)).to.be.revertedWithCustomError(registry, "MissingRole").withArgs(warehouse.address, Role.WAREHOUSE);
      }
      await expect(receipts.connect(warehouse).attest(8n, ZERO_HASH)).to.be.revertedWithCustomError(receipts, "UnknownReceipt").withArgs(8n);
    });
  });

  describe("freeze / unfreeze", function () {
    it("a regulator freezes (ReceiptFrozen) and unfreezes (ReceiptUnfrozen) a receipt", async function () {
      const { receipts, orchard, juicePlant, regulator, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(regulator).freeze(receiptId, COURT_ORDER))
        .to.emit(receipts, "ReceiptFrozen")
        .withArgs(receiptId, regulator.address, COURT_ORDER);
      expect((await receipts.receiptOf(receiptId)).frozen).to.equal(true);
      await expect(receipts.connect(regulator).unfreeze(receiptId, hashOf("order lifted")))
        .to.emit(receipts, "ReceiptUnfrozen")
        .withArgs(receiptId, regulator.address, hashOf("order lifted"));
      expect((await receipts.receiptOf(receiptId)).frozen).to.equal(false);
      await expect(receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId)).to.emit(receipts, "Transfer");
    });

    it("reverts with ReceiptIsFrozen when frozen twice and ReceiptNotFrozen when unfreezing a free receipt", async function () {
      const { receipts, regulator, receiptId } = await loadFixture(appleReceiptFixture);
      await expect(receipts.connect(regulator).unfreeze(receiptId, ZERO_HASH))
        .to.be.revertedWithCustomError(receipts, "ReceiptNotFrozen")
        .withArgs(receiptId);
      await receipts.connect(regulator).freeze(receiptId, COURT_ORDER);
      await expect(receipts.connect(regulator).freeze(receiptId, COURT_ORDER))
        .to.be.revertedWithCustomError(receipts, "ReceiptIsFrozen")
        .withArgs(receiptId);
    });

    it("reverts with MissingRole(caller, REGULATOR) for anyone else, a suspended regulator included; UnknownReceipt", async function () {
      const { receipts, registry, admin, warehouse, bank, regulator, receiptId } = await loadFixture(appleReceiptFixture);
      for (const caller of [warehouse, bank]) {
        await expect(receipts.connect(caller).freeze(receiptId, COURT_ORDER))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(caller.address, Role.REGULATOR);
      }
      await expect(receipts.connect(regulator).freeze(3n, COURT_ORDER)).to.be.revertedWithCustomError(receipts, "UnknownReceipt").withArgs(3n);
      await receipts.connect(regulator).freeze(receiptId, COURT_ORDER);
      await registry.connect(admin).suspend(regulator.address, ZERO_HASH);
      await expect(receipts.connect(regulator).unfreeze(receiptId, ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(regulator.address, Role.REGULATOR);
    });

    it("a frozen receipt cannot be transferred, split, redeemed or have its redemption cancelled (ReceiptIsFrozen)", async function () {
      const { receipts, orchard, juicePlant, warehouse, regulator, receiptId } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).requestRedemption(receiptId);
      await receipts.connect(regulator).freeze(receiptId, COURT_ORDER);
      const attempts = [
        () => receipts.connect(orchard).transferFrom(orchard.address, juicePlant.address, receiptId),
        () => receipts.connect(orchard).split(receiptId, [1n]),
        () => receipts.connect(orchard).cancelRedemption(receiptId),
        () => receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE),
      ];
      for (const attempt of attempts) {
        await expect(attempt()).to.be.revertedWithCustomError(receipts, "ReceiptIsFrozen").withArgs(receiptId);
      }
    });

    it("a frozen receipt cannot be asked for redemption nor pledged", async function () {
      const f = await loadFixture(appleReceiptFixture);
      await f.receipts.connect(f.regulator).freeze(f.receiptId, COURT_ORDER);
      await expect(f.receipts.connect(f.orchard).requestRedemption(f.receiptId))
        .to.be.revertedWithCustomError(f.receipts, "ReceiptIsFrozen")
        .withArgs(f.receiptId);
      await expect(pledge(f, f.receiptId, f.orchard)).to.be.revertedWithCustomError(f.receipts, "ReceiptIsFrozen").withArgs(f.receiptId);
    });
  });

  describe("collateral for the lien registry (ICollateral)", function () {
    it("collateralKey is the key of the receipt's goods batch and collateralHolder its holder", async function () {
      const f = await loadFixture(appleReceiptFixture);
      expect(await f.receipts.collateralKey(f.receiptId)).to.equal(await goodsKey(f, f.appleBatch));
      expect(await f.receipts.collateralHolder(f.receiptId)).to.equal(f.orchard.address);
    });

    it("collateralKey and collateralHolder revert with UnknownReceipt for a receipt never issued or redeemed", async function () {
      const { receipts, orchard, warehouse, receiptId } = await loadFixture(appleReceiptFixture);
      await receipts.connect(orchard).requestRedemption(receiptId);
      await receipts.connect(warehouse).confirmRedemption(receiptId, RELEASE_NOTE);
      for (const id of [receiptId, 2n]) {
        await expect(receipts.collateralKey(id)).to.be.revertedWithCustomError(receipts, "UnknownReceipt").withArgs(id);
        await expect(receipts.collateralHolder(id)).to.be.revertedWithCustomError(receipts, "UnknownReceipt").withArgs(id);
      }
    });

    it("refuses lock, unlock, seize and releasePart from anyone but the lien registry (NotLienRegistry)", async function () {
      const { receipts, orchard, bank, warehouse, receiptId } = await loadFixture(pledgedReceiptFixture);
      for (const caller of [orchard, bank, warehouse]) {
        const asCaller = receipts.connect(caller);
        for (const attempt of [
          () => asCaller.lock(receiptId),
          () => asCaller.unlock(receiptId),
          () => asCaller.seize(receiptId, caller.address),
          () => asCaller.releasePart(receiptId, 1n),
        ]) {
          await expect(attempt()).to.be.revertedWithCustomError(receipts, "NotLienRegistry").withArgs(caller.address);
        }
      }
    });

    it("accepting a pledge locks the receipt (PledgeStatusChanged true); releasing the lien frees it again", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const terms = await loadTermsAndOffer(f);
      await expect(f.liens.connect(f.bank).accept(terms, INSURED_VALUE))
        .to.emit(f.receipts, "PledgeStatusChanged")
        .withArgs(f.receiptId, true);
      expect((await f.receipts.receiptOf(f.receiptId)).pledged).to.equal(true);

      await expect(f.liens.connect(f.bank).release(terms)).to.emit(f.receipts, "PledgeStatusChanged").withArgs(f.receiptId, false);
      expect((await f.receipts.receiptOf(f.receiptId)).pledged).to.equal(false);
      await expect(f.receipts.connect(f.orchard).transferFrom(f.orchard.address, f.juicePlant.address, f.receiptId)).to.emit(
        f.receipts,
        "Transfer",
      );
    });

    it("a lien can be released while the receipt is frozen (no goods move); the freeze stays", async function () {
      const { receipts, liens, bank, regulator, receiptId, terms } = await loadFixture(pledgedReceiptFixture);
      await receipts.connect(regulator).freeze(receiptId, COURT_ORDER);
      await expect(liens.connect(bank).release(terms)).to.emit(receipts, "PledgeStatusChanged").withArgs(receiptId, false);
      const view = await receipts.receiptOf(receiptId);
      expect([view.pledged, view.frozen]).to.deep.equal([false, true]);
    });

    it("releasePart splits a free receipt off to the holder (ReceiptSplit); the rest stays pledged under the same key", async function () {
      const f = await loadFixture(pledgedReceiptFixture);
      const key = await goodsKey(f, f.appleBatch);
      const childBatch = f.appleBatch + 1n;
      expect(await f.liens.connect(f.bank).releasePart.staticCall(f.terms, 300n)).to.equal(2n);
      const tx = f.liens.connect(f.bank).releasePart(f.terms, 300n);
      await expect(tx).to.emit(f.ledger, "BatchSplit").withArgs(f.appleBatch, childBatch, 300n);
      await expect(tx).to.emit(f.receipts, "Transfer").withArgs(ZERO_ADDRESS, f.orchard.address, 2n);
      await expect(tx).to.emit(f.receipts, "ReceiptSplit").withArgs(f.receiptId, 700n, [2n], [childBatch], [300n]);

      const [pledged, released] = await Promise.all([f.receipts.receiptOf(f.receiptId), f.receipts.receiptOf(2n)]);
      expect([pledged.quantity, pledged.pledged]).to.deep.equal([700n, true]);
      expect([released.quantity, released.pledged, released.holder, released.expiresAt]).to.deep.equal([
        300n,
        false,
        f.orchard.address,
        f.expiresAt,
      ]);
      expect(await f.receipts.collateralKey(f.receiptId)).to.equal(key);
      expect(await f.liens.lienOn(key)).to.equal(await f.liens.loanIdOf(f.terms));
      await expect(f.receipts.connect(f.orchard).transferFrom(f.orchard.address, f.juicePlant.address, 2n)).to.emit(f.receipts, "Transfer");
      await expect(f.receipts.connect(f.orchard).transferFrom(f.orchard.address, f.juicePlant.address, f.receiptId))
        .to.be.revertedWithCustomError(f.receipts, "ReceiptIsPledged")
        .withArgs(f.receiptId);
    });

    it("releasePart reverts with InvalidSplit for nothing, everything or more than a uint96, ReceiptIsFrozen when frozen", async function () {
      const f = await loadFixture(pledgedReceiptFixture);
      for (const quantity of [0n, APPLE_QUANTITY, 2n ** 96n + 1n]) {
        await expect(f.liens.connect(f.bank).releasePart(f.terms, quantity))
          .to.be.revertedWithCustomError(f.receipts, "InvalidSplit")
          .withArgs(f.receiptId);
      }
      await f.receipts.connect(f.regulator).freeze(f.receiptId, COURT_ORDER);
      await expect(f.liens.connect(f.bank).releasePart(f.terms, 1n))
        .to.be.revertedWithCustomError(f.receipts, "ReceiptIsFrozen")
        .withArgs(f.receiptId);
    });

    it("enforcement seizes the receipt: the pledge ends (PledgeStatusChanged) and title moves to the bank, which can redeem", async function () {
      const f = await loadFixture(pledgedReceiptFixture);
      await time.increaseTo(BigInt(f.terms.maturity) + 1n);
      const tx = f.liens.connect(f.bank).enforce(f.terms, f.bank.address);
      await expect(tx).to.emit(f.receipts, "PledgeStatusChanged").withArgs(f.receiptId, false);
      await expect(tx).to.emit(f.receipts, "Transfer").withArgs(f.orchard.address, f.bank.address, f.receiptId);
      expect(await f.receipts.ownerOf(f.receiptId)).to.equal(f.bank.address);
      expect((await f.receipts.receiptOf(f.receiptId)).pledged).to.equal(false);

      await f.receipts.connect(f.bank).requestRedemption(f.receiptId);
      await f.receipts.connect(f.warehouse).confirmRedemption(f.receiptId, RELEASE_NOTE);
      expect((await f.ledger.batchOf(f.appleBatch)).custodian).to.equal(f.bank.address);
    });

    it("enforcement can hand the receipt to a buyer the bank names", async function () {
      const f = await loadFixture(pledgedReceiptFixture);
      await time.increaseTo(BigInt(f.terms.maturity) + 1n);
      await expect(f.liens.connect(f.bank).enforce(f.terms, f.juicePlant.address))
        .to.emit(f.receipts, "Transfer")
        .withArgs(f.orchard.address, f.juicePlant.address, f.receiptId);
    });

    it("a frozen receipt cannot be seized (ReceiptIsFrozen)", async function () {
      const f = await loadFixture(pledgedReceiptFixture);
      await f.receipts.connect(f.regulator).freeze(f.receiptId, COURT_ORDER);
      await time.increaseTo(BigInt(f.terms.maturity) + 1n);
      await expect(f.liens.connect(f.bank).enforce(f.terms, f.bank.address))
        .to.be.revertedWithCustomError(f.receipts, "ReceiptIsFrozen")
        .withArgs(f.receiptId);
    });

    it("enforcement is not stopped by the borrower's suspension (often why it defaulted)", async function () {
      const f = await loadFixture(pledgedReceiptFixture);
      await time.increaseTo(BigInt(f.terms.maturity) + 1n);
      await f.registry.connect(f.admin).suspend(f.orchard.address, ZERO_HASH);
      await expect(f.liens.connect(f.bank).enforce(f.terms, f.bank.address))
        .to.emit(f.receipts, "Transfer")
        .withArgs(f.orchard.address, f.bank.address, f.receiptId);
      // A suspended holder still cannot move a receipt itself.
      expect(await f.receipts.ownerOf(f.receiptId)).to.equal(f.bank.address);
    });

    it("enforcement is not stopped by the end of the storage term: the goods are still in the warehouse", async function () {
      const f = await loadFixture(pledgedReceiptFixture);
      await time.increaseTo(f.expiresAt);
      await expect(f.liens.connect(f.bank).enforce(f.terms, f.bank.address))
        .to.emit(f.receipts, "Transfer")
        .withArgs(f.orchard.address, f.bank.address, f.receiptId);
      // The new holder redeems the goods (an expired receipt may be redeemed).
      await f.receipts.connect(f.bank).requestRedemption(f.receiptId);
      await f.receipts.connect(f.warehouse).confirmRedemption(f.receiptId, RELEASE_NOTE);
      expect((await f.ledger.batchOf(f.appleBatch)).custodian).to.equal(f.bank.address);
    });

    it("seize reverts with TransferToNonMember for a recipient that is not an active member", async function () {
      const f = await loadFixture(pledgedReceiptFixture);
      const asLiens = await impersonateLienRegistry(f);
      await expect(f.receipts.connect(asLiens).seize(f.receiptId, f.outsider.address))
        .to.be.revertedWithCustomError(f.receipts, "TransferToNonMember")
        .withArgs(f.outsider.address);
    });

    it("lock reverts with ReceiptIsPledged, ReceiptIsFrozen, RedemptionPending, ReceiptExpired and UnknownReceipt", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asLiens = await impersonateLienRegistry(f);
      const lock = () => f.receipts.connect(asLiens).lock(f.receiptId);
      await expect(f.receipts.connect(asLiens).lock(9n)).to.be.revertedWithCustomError(f.receipts, "UnknownReceipt").withArgs(9n);

      await f.receipts.connect(f.orchard).requestRedemption(f.receiptId);
      await expect(lock()).to.be.revertedWithCustomError(f.receipts, "RedemptionPending").withArgs(f.receiptId);
      await f.receipts.connect(f.orchard).cancelRedemption(f.receiptId);

      await f.receipts.connect(f.regulator).freeze(f.receiptId, COURT_ORDER);
      await expect(lock()).to.be.revertedWithCustomError(f.receipts, "ReceiptIsFrozen").withArgs(f.receiptId);
      await f.receipts.connect(f.regulator).unfreeze(f.receiptId, ZERO_HASH);

      await expect(lock()).to.emit(f.receipts, "PledgeStatusChanged").withArgs(f.receiptId, true);
      await expect(lock()).to.be.revertedWithCustomError(f.receipts, "ReceiptIsPledged").withArgs(f.receiptId);
      await f.receipts.connect(asLiens).unlock(f.receiptId);

      await time.increaseTo(f.expiresAt);
      await expect(lock()).to.be.revertedWithCustomError(f.receipts, "ReceiptExpired").withArgs(f.receiptId, f.expiresAt);
    });

    it("unlock, seize and releasePart revert with ReceiptNotPledged on a receipt that is not pledged", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asLiens = await impersonateLienRegistry(f);
      const asRegistry = f.receipts.connect(asLiens);
      for (const attempt of [
        () => asRegistry.unlock(f.receiptId),
        () => asRegistry.seize(f.receiptId, f.bank.address),
        () => asRegistry.releasePart(f.receiptId, 1n),
      ]) {
        await expect(attempt()).to.be.revertedWithCustomError(f.receipts, "ReceiptNotPledged").withArgs(f.receiptId);
      }
      await expect(asRegistry.unlock(6n)).to.be.revertedWithCustomError(f.receipts, "UnknownReceipt").withArgs(6n);
    });
  });

  describe("receiptOf", function () {
    it("shows a hold and a recall of the goods through the batch status", async function () {
      const { receipts, ledger, regulator, receiptId, appleBatch } = await loadFixture(appleReceiptFixture);
      await ledger.connect(regulator).hold(appleBatch, ZERO_HASH);
      expect((await receipts.receiptOf(receiptId)).batchStatus).to.equal(BatchStatus.OnHold);
      await ledger.connect(regulator).recall(appleBatch, ZERO_HASH);
      expect((await receipts.receiptOf(receiptId)).batchStatus).to.equal(BatchStatus.Recalled);
    });

    it("reverts with UnknownReceipt for a receipt never issued", async function () {
      const { receipts } = await loadFixture(applesInWarehouseFixture);
      await expect(receipts.receiptOf(1n)).to.be.revertedWithCustomError(receipts, "UnknownReceipt").withArgs(1n);
    });
  });
});
