/// <reference types="mocha" />
import { expect } from "chai";
import { ethers } from "hardhat";
import { hashOf, loadFixture, Role, time, ZERO_ADDRESS, ZERO_HASH } from "./fixtures";
import {
  confirmedFixture,
  CONTRACT_DOC,
  FACE_VALUE,
  GRACE,
  INVOICE,
  PAYMENT_REF,
  ReceivableStatus,
  register,
  registeredFixture,
  receivablesFixture,
  signRegistration,
  splitFixture,
} from "./receivable-fixtures";
import { CNY, currency } from "./receipt-fixtures";

describe("Receivables", function () {
  describe("register", function () {
    it("mints the face value to the creditor and emits every value", async function () {
      const { receivables, orchard, juicePlant, dueDate } = await loadFixture(receivablesFixture);
      const tx = receivables.connect(orchard).register(juicePlant.address, FACE_VALUE, CNY, dueDate, GRACE, INVOICE, CONTRACT_DOC);
      await expect(tx)
        .to.emit(receivables, "ReceivableRegistered")
        .withArgs(1n, orchard.address, juicePlant.address, FACE_VALUE, CNY, dueDate, GRACE, INVOICE, CONTRACT_DOC);
      await expect(tx).to.emit(receivables, "TransferSingle").withArgs(orchard.address, ZERO_ADDRESS, orchard.address, 1n, FACE_VALUE);
      expect(await receivables.balanceOf(orchard.address, 1n)).to.equal(FACE_VALUE);
      expect(await receivables.receivableIdOfInvoice(INVOICE)).to.equal(1n);
      expect(await receivables.receivableCount()).to.equal(1n);
      const view = await receivables.receivableOf(1n);
      expect(view.status).to.equal(ReceivableStatus.Registered);
      expect(view.debtor).to.equal(juicePlant.address);
      expect(view.faceValue).to.equal(FACE_VALUE);
      expect(view.outstanding).to.equal(FACE_VALUE);
      expect(view.dueDate).to.equal(dueDate);
      expect(view.graceSeconds).to.equal(GRACE);
      expect(view.currency).to.equal(CNY);
      expect(view.overdue).to.equal(false);
    });

    it("refuses a creditor that is not an active ENTERPRISE (MissingRole)", async function () {
      const { registry, receivables, bank, outsider, juicePlant, dueDate } = await loadFixture(receivablesFixture);
      for (const who of [bank, outsider]) {
        await expect(receivables.connect(who).register(juicePlant.address, FACE_VALUE, CNY, dueDate, GRACE, INVOICE, CONTRACT_DOC))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(who.address, Role.ENTERPRISE);
      }
    });

    it("refuses a debtor that is the creditor or not an active member", async function () {
      const { receivables, registry, orchard, outsider, dueDate } = await loadFixture(receivablesFixture);
      await expect(receivables.connect(orchard).register(orchard.address, FACE_VALUE, CNY, dueDate, GRACE, INVOICE, CONTRACT_DOC))
        .to.be.revertedWithCustomError(receivables, "InvalidDebtor")
        .withArgs(orchard.address);
      await expect(receivables.connect(orchard).register(outsider.address, FACE_VALUE, CNY, dueDate, GRACE, INVOICE, CONTRACT_DOC))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(outsider.address, Role.ANY_MEMBER);
    });

    it("refuses a zero face value, a bad currency, a past due date and a zero invoice hash", async function () {
      const { receivables, orchard, juicePlant, dueDate } = await loadFixture(receivablesFixture);
      const r = receivables.connect(orchard);
      await expect(r.register(juicePlant.address, 0n, CNY, dueDate, GRACE, INVOICE, CONTRACT_DOC)).to.be.revertedWithCustomError(
        receivables,
        "ZeroAmount",
      );
      await expect(r.register(juicePlant.address, FACE_VALUE, currency("cny"), dueDate, GRACE, INVOICE, CONTRACT_DOC))
        .to.be.revertedWithCustomError(receivables, "InvalidCurrency")
        .withArgs(currency("cny"));
      const now = BigInt(await time.latest());
      await expect(r.register(juicePlant.address, FACE_VALUE, CNY, now, GRACE, INVOICE, CONTRACT_DOC))
        .to.be.revertedWithCustomError(receivables, "InvalidDueDate")
        .withArgs(now);
      await expect(r.register(juicePlant.address, FACE_VALUE, CNY, dueDate, GRACE, ZERO_HASH, CONTRACT_DOC)).to.be.revertedWithCustomError(
        receivables,
        "ZeroInvoiceHash",
      );
    });

    it("refuses a second receivable for the same invoice, even after a cancellation (InvoiceAlreadyUsed)", async function () {
      const { receivables, orchard, tier2, juicePlant, dueDate, receivableId } = await loadFixture(registeredFixture);
      await receivables.connect(orchard).cancel(receivableId, hashOf("typo"));
      for (const creditor of [orchard, tier2]) {
        await expect(receivables.connect(creditor).register(juicePlant.address, 1n, CNY, dueDate, 0, INVOICE, CONTRACT_DOC))
          .to.be.revertedWithCustomError(receivables, "InvoiceAlreadyUsed")
          .withArgs(INVOICE, receivableId);
      }
    });
  });

  describe("confirm, cancel, reject", function () {
    it("the debtor confirms (ReceivableConfirmed); only once, only the debtor", async function () {
      const { receivables, juicePlant, orchard, receivableId } = await loadFixture(registeredFixture);
      await expect(receivables.connect(orchard).confirm(receivableId))
        .to.be.revertedWithCustomError(receivables, "NotDebtor")
        .withArgs(receivableId, orchard.address, juicePlant.address);
      await expect(receivables.connect(juicePlant).confirm(receivableId))
        .to.emit(receivables, "ReceivableConfirmed")
        .withArgs(receivableId, juicePlant.address);
      expect((await receivables.receivableOf(receivableId)).status).to.equal(ReceivableStatus.Confirmed);
      await expect(receivables.connect(juicePlant).confirm(receivableId))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(receivableId, ReceivableStatus.Confirmed);
      await expect(receivables.connect(juicePlant).confirm(9n)).to.be.revertedWithCustomError(receivables, "UnknownReceivable").withArgs(9n);
    });

    it("a suspended debtor cannot confirm (MissingRole)", async function () {
      const { receivables, registry, admin, juicePlant, receivableId } = await loadFixture(registeredFixture);
      await registry.connect(admin).suspend(juicePlant.address, hashOf("audit"));
      await expect(receivables.connect(juicePlant).confirm(receivableId))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(juicePlant.address, Role.ANY_MEMBER);
    });

    it("the creditor cancels an unconfirmed receivable: burned, status Cancelled", async function () {
      const { receivables, orchard, juicePlant, receivableId } = await loadFixture(registeredFixture);
      await expect(receivables.connect(juicePlant).cancel(receivableId, hashOf("x")))
        .to.be.revertedWithCustomError(receivables, "NotCreditor")
        .withArgs(receivableId, juicePlant.address);
      const tx = receivables.connect(orchard).cancel(receivableId, hashOf("wrong amount"));
      await expect(tx).to.emit(receivables, "ReceivableCancelled").withArgs(receivableId, orchard.address, hashOf("wrong amount"));
      await expect(tx).to.emit(receivables, "TransferSingle").withArgs(orchard.address, orchard.address, ZERO_ADDRESS, receivableId, FACE_VALUE);
      expect(await receivables.balanceOf(orchard.address, receivableId)).to.equal(0n);
      expect((await receivables.receivableOf(receivableId)).status).to.equal(ReceivableStatus.Cancelled);
      await expect(receivables.connect(juicePlant).confirm(receivableId))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(receivableId, ReceivableStatus.Cancelled);
    });

    it("the debtor rejects an unconfirmed receivable: burned, status Rejected; a confirmed one cannot be", async function () {
      const { receivables, orchard, juicePlant, receivableId } = await loadFixture(registeredFixture);
      await expect(receivables.connect(orchard).reject(receivableId, hashOf("x")))
        .to.be.revertedWithCustomError(receivables, "NotDebtor")
        .withArgs(receivableId, orchard.address, juicePlant.address);
      const tx = receivables.connect(juicePlant).reject(receivableId, hashOf("never delivered"));
      await expect(tx).to.emit(receivables, "ReceivableRejected").withArgs(receivableId, juicePlant.address, hashOf("never delivered"));
      await expect(tx)
        .to.emit(receivables, "TransferSingle")
        .withArgs(juicePlant.address, orchard.address, ZERO_ADDRESS, receivableId, FACE_VALUE);
      expect(await receivables.balanceOf(orchard.address, receivableId)).to.equal(0n);
      expect((await receivables.receivableOf(receivableId)).status).to.equal(ReceivableStatus.Rejected);
      await expect(receivables.connect(orchard).cancel(receivableId, ZERO_HASH))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(receivableId, ReceivableStatus.Rejected);
    });

    it("confirmed receivables cannot be cancelled or rejected", async function () {
      const { receivables, orchard, juicePlant, receivableId } = await loadFixture(confirmedFixture);
      await expect(receivables.connect(orchard).cancel(receivableId, ZERO_HASH))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(receivableId, ReceivableStatus.Confirmed);
      await expect(receivables.connect(juicePlant).reject(receivableId, ZERO_HASH))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(receivableId, ReceivableStatus.Confirmed);
    });
  });

  describe("registerConfirmed (the debtor's EIP-712 signature)", function () {
    it("registers and confirms in one transaction", async function () {
      const { receivables, orchard, juicePlant, registrationFor } = await loadFixture(receivablesFixture);
      const reg = registrationFor();
      const signature = await signRegistration(juicePlant, receivables, reg);
      const tx = receivables.connect(orchard).registerConfirmed(reg, signature);
      await expect(tx).to.emit(receivables, "ReceivableRegistered");
      await expect(tx).to.emit(receivables, "ReceivableConfirmed").withArgs(1n, juicePlant.address);
      expect((await receivables.receivableOf(1n)).status).to.equal(ReceivableStatus.Confirmed);
      expect(await receivables.balanceOf(orchard.address, 1n)).to.equal(FACE_VALUE);
      // Replaying the same signature registers nothing: the invoice is single-use.
      await expect(receivables.connect(orchard).registerConfirmed(reg, signature))
        .to.be.revertedWithCustomError(receivables, "InvoiceAlreadyUsed")
        .withArgs(INVOICE, 1n);
    });

    it("refuses another sender, a wrong signer and altered terms", async function () {
      const { receivables, orchard, tier2, juicePlant, registrationFor } = await loadFixture(receivablesFixture);
      const reg = registrationFor();
      const signature = await signRegistration(juicePlant, receivables, reg);
      await expect(receivables.connect(tier2).registerConfirmed(reg, signature))
        .to.be.revertedWithCustomError(receivables, "NotRegistrant")
        .withArgs(tier2.address, orchard.address);
      await expect(receivables.connect(orchard).registerConfirmed(reg, await signRegistration(tier2, receivables, reg)))
        .to.be.revertedWithCustomError(receivables, "InvalidDebtorSignature")
        .withArgs(juicePlant.address);
      await expect(receivables.connect(orchard).registerConfirmed({ ...reg, faceValue: FACE_VALUE * 2n }, signature))
        .to.be.revertedWithCustomError(receivables, "InvalidDebtorSignature")
        .withArgs(juicePlant.address);
    });

    it("still checks the registration (a suspended debtor, a used invoice)", async function () {
      const { receivables, registry, admin, orchard, juicePlant, registrationFor } = await loadFixture(receivablesFixture);
      await register(receivables, orchard, registrationFor());
      const reg = registrationFor({ salt: hashOf("other") });
      await expect(receivables.connect(orchard).registerConfirmed(reg, await signRegistration(juicePlant, receivables, reg)))
        .to.be.revertedWithCustomError(receivables, "InvoiceAlreadyUsed")
        .withArgs(INVOICE, 1n);
      const fresh = registrationFor({ invoiceHash: hashOf("invoice 2") });
      const signature = await signRegistration(juicePlant, receivables, fresh);
      await registry.connect(admin).suspend(juicePlant.address, hashOf("audit"));
      await expect(receivables.connect(orchard).registerConfirmed(fresh, signature))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(juicePlant.address, Role.ANY_MEMBER);
    });
  });

  describe("transfers (ERC-1155, restricted)", function () {
    it("moves part of an amount to another member (TransferSingle), by the holder or an approved operator", async function () {
      const { receivables, orchard, tier2, tier3, receivableId } = await loadFixture(confirmedFixture);
      await expect(receivables.connect(orchard).safeTransferFrom(orchard.address, tier2.address, receivableId, 30_000_000n, "0x"))
        .to.emit(receivables, "TransferSingle")
        .withArgs(orchard.address, orchard.address, tier2.address, receivableId, 30_000_000n);
      await receivables.connect(orchard).setApprovalForAll(tier3.address, true);
      await receivables.connect(tier3).safeTransferFrom(orchard.address, tier3.address, receivableId, 5_000_000n, "0x");
      expect(await receivables.balanceOf(orchard.address, receivableId)).to.equal(65_000_000n);
      expect(await receivables.balanceOf(tier2.address, receivableId)).to.equal(30_000_000n);
      expect(await receivables.balanceOf(tier3.address, receivableId)).to.equal(5_000_000n);
      await expect(receivables.connect(tier2).safeTransferFrom(orchard.address, tier2.address, receivableId, 1n, "0x"))
        .to.be.revertedWithCustomError(receivables, "ERC1155MissingApprovalForAll")
        .withArgs(tier2.address, orchard.address);
    });

    it("batch transfers pass the same checks", async function () {
      const { receivables, orchard, juicePlant, tier2, receivableId, dueDate } = await loadFixture(confirmedFixture);
      const second = await register(receivables, orchard, {
        creditor: orchard.address, debtor: juicePlant.address, faceValue: 500n, currency: CNY, dueDate, graceSeconds: 0,
        invoiceHash: hashOf("invoice 2"), documentHash: ZERO_HASH, salt: ZERO_HASH,
      });
      await expect(receivables.connect(orchard).safeBatchTransferFrom(orchard.address, tier2.address, [receivableId, second], [1n, 1n], "0x"))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(second, ReceivableStatus.Registered);
      await receivables.connect(juicePlant).confirm(second);
      await receivables.connect(orchard).safeBatchTransferFrom(orchard.address, tier2.address, [receivableId, second], [1n, 1n], "0x");
      expect(await receivables.balanceOf(tier2.address, second)).to.equal(1n);
    });

    it("refuses unconfirmed receivables, non-member recipients and suspended holders", async function () {
      const { receivables, registry, admin, orchard, tier2, outsider, receivableId } = await loadFixture(registeredFixture);
      await expect(receivables.connect(orchard).safeTransferFrom(orchard.address, tier2.address, receivableId, 1n, "0x"))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(receivableId, ReceivableStatus.Registered);
      await receivables.connect((await ethers.getSigners())[2]).confirm(receivableId);
      await expect(receivables.connect(orchard).safeTransferFrom(orchard.address, outsider.address, receivableId, 1n, "0x"))
        .to.be.revertedWithCustomError(receivables, "TransferToNonMember")
        .withArgs(outsider.address);
      await registry.connect(admin).suspend(orchard.address, hashOf("audit"));
      await expect(receivables.connect(orchard).safeTransferFrom(orchard.address, tier2.address, receivableId, 1n, "0x"))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(orchard.address, Role.ANY_MEMBER);
      await registry.connect(admin).reinstate(orchard.address, hashOf("ok"));
      await registry.connect(admin).suspend(tier2.address, hashOf("audit"));
      await expect(receivables.connect(orchard).safeTransferFrom(orchard.address, tier2.address, receivableId, 1n, "0x"))
        .to.be.revertedWithCustomError(receivables, "TransferToNonMember")
        .withArgs(tier2.address);
    });

    it("refuses more than the balance (ERC1155InsufficientBalance)", async function () {
      const { receivables, tier3, tier2, receivableId } = await loadFixture(splitFixture);
      await expect(receivables.connect(tier3).safeTransferFrom(tier3.address, tier2.address, receivableId, 10_000_001n, "0x"))
        .to.be.revertedWithCustomError(receivables, "ERC1155InsufficientBalance")
        .withArgs(tier3.address, 10_000_000n, 10_000_001n, receivableId);
    });
  });

  describe("disputes and freezes", function () {
    it("the debtor disputes and resolves; nothing moves while disputed", async function () {
      const { receivables, orchard, tier2, juicePlant, receivableId } = await loadFixture(confirmedFixture);
      await expect(receivables.connect(orchard).dispute(receivableId, hashOf("x")))
        .to.be.revertedWithCustomError(receivables, "NotDebtor")
        .withArgs(receivableId, orchard.address, juicePlant.address);
      await expect(receivables.connect(juicePlant).resolveDispute(receivableId, hashOf("x")))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotDisputed")
        .withArgs(receivableId);
      await expect(receivables.connect(juicePlant).dispute(receivableId, hashOf("short delivery")))
        .to.emit(receivables, "ReceivableDisputed")
        .withArgs(receivableId, juicePlant.address, hashOf("short delivery"));
      await expect(receivables.connect(juicePlant).dispute(receivableId, hashOf("again")))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsDisputed")
        .withArgs(receivableId);
      await expect(receivables.connect(orchard).safeTransferFrom(orchard.address, tier2.address, receivableId, 1n, "0x"))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsDisputed")
        .withArgs(receivableId);
      expect((await receivables.receivableOf(receivableId)).disputed).to.equal(true);
      await expect(receivables.connect(juicePlant).resolveDispute(receivableId, hashOf("credit note")))
        .to.emit(receivables, "DisputeResolved")
        .withArgs(receivableId, juicePlant.address, hashOf("credit note"));
      await receivables.connect(orchard).safeTransferFrom(orchard.address, tier2.address, receivableId, 1n, "0x");
    });

    it("an unconfirmed receivable cannot be disputed", async function () {
      const { receivables, juicePlant, receivableId } = await loadFixture(registeredFixture);
      await expect(receivables.connect(juicePlant).dispute(receivableId, ZERO_HASH))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(receivableId, ReceivableStatus.Registered);
    });

    it("a REGULATOR freezes and unfreezes; nothing moves while frozen", async function () {
      const { registry, receivables, orchard, tier2, regulator, receivableId } = await loadFixture(confirmedFixture);
      await expect(receivables.connect(orchard).freeze(receivableId, hashOf("x")))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(orchard.address, Role.REGULATOR);
      await expect(receivables.connect(regulator).unfreeze(receivableId, hashOf("x")))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFrozen")
        .withArgs(receivableId);
      await expect(receivables.connect(regulator).freeze(receivableId, hashOf("court order")))
        .to.emit(receivables, "ReceivableFrozen")
        .withArgs(receivableId, regulator.address, hashOf("court order"));
      await expect(receivables.connect(regulator).freeze(receivableId, hashOf("again")))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(receivableId);
      await expect(receivables.connect(orchard).safeTransferFrom(orchard.address, tier2.address, receivableId, 1n, "0x"))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(receivableId);
      await expect(receivables.connect(regulator).unfreeze(receivableId, hashOf("lifted")))
        .to.emit(receivables, "ReceivableUnfrozen")
        .withArgs(receivableId, regulator.address, hashOf("lifted"));
      await expect(receivables.connect(regulator).freeze(7n, ZERO_HASH)).to.be.revertedWithCustomError(receivables, "UnknownReceivable").withArgs(7n);
    });
  });

  describe("payments and overdue", function () {
    it("the debtor appoints its bank as payment agent; the agent records payments", async function () {
      const { registry, receivables, juicePlant, bank, tier2, orchard, receivableId } = await loadFixture(confirmedFixture);
      await expect(receivables.connect(orchard).appointPaymentAgent(receivableId, bank.address))
        .to.be.revertedWithCustomError(receivables, "NotDebtor")
        .withArgs(receivableId, orchard.address, juicePlant.address);
      await expect(receivables.connect(juicePlant).appointPaymentAgent(receivableId, tier2.address))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(tier2.address, Role.FINANCIER);
      await expect(receivables.connect(juicePlant).appointPaymentAgent(receivableId, bank.address))
        .to.emit(receivables, "PaymentAgentAppointed")
        .withArgs(receivableId, juicePlant.address, bank.address);
      expect((await receivables.receivableOf(receivableId)).paymentAgent).to.equal(bank.address);
      await expect(receivables.connect(bank).recordPayment(receivableId, 1_000n, PAYMENT_REF))
        .to.emit(receivables, "PaymentRecorded")
        .withArgs(receivableId, bank.address, 1_000n, 1_000n, PAYMENT_REF);
      await expect(receivables.connect(tier2).recordPayment(receivableId, 1n, PAYMENT_REF))
        .to.be.revertedWithCustomError(receivables, "NotPayer")
        .withArgs(receivableId, tier2.address);
      await receivables.connect(juicePlant).appointPaymentAgent(receivableId, ZERO_ADDRESS);
      await expect(receivables.connect(bank).recordPayment(receivableId, 1n, PAYMENT_REF))
        .to.be.revertedWithCustomError(receivables, "NotPayer")
        .withArgs(receivableId, bank.address);
    });

    it("a payment agent cannot be appointed on a cancelled receivable", async function () {
      const { receivables, orchard, juicePlant, bank, receivableId } = await loadFixture(registeredFixture);
      await receivables.connect(orchard).cancel(receivableId, ZERO_HASH);
      await expect(receivables.connect(juicePlant).appointPaymentAgent(receivableId, bank.address))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(receivableId, ReceivableStatus.Cancelled);
    });

    it("refuses payments on unconfirmed receivables, of zero, and above the outstanding amount", async function () {
      const { receivables, juicePlant, receivableId } = await loadFixture(registeredFixture);
      await expect(receivables.connect(juicePlant).recordPayment(receivableId, 1n, PAYMENT_REF))
        .to.be.revertedWithCustomError(receivables, "InvalidStatus")
        .withArgs(receivableId, ReceivableStatus.Registered);
      await receivables.connect(juicePlant).confirm(receivableId);
      await expect(receivables.connect(juicePlant).recordPayment(receivableId, 0n, PAYMENT_REF)).to.be.revertedWithCustomError(
        receivables,
        "ZeroAmount",
      );
      await receivables.connect(juicePlant).recordPayment(receivableId, FACE_VALUE - 5n, PAYMENT_REF);
      await expect(receivables.connect(juicePlant).recordPayment(receivableId, 6n, PAYMENT_REF))
        .to.be.revertedWithCustomError(receivables, "PaymentExceedsOutstanding")
        .withArgs(receivableId, 6n, 5n);
    });

    it("is overdue past the due date plus grace while not fully paid", async function () {
      const { receivables, juicePlant, receivableId, dueDate } = await loadFixture(confirmedFixture);
      await time.increaseTo(dueDate + GRACE);
      expect(await receivables.isOverdue(receivableId)).to.equal(false);
      await time.increase(1);
      expect(await receivables.isOverdue(receivableId)).to.equal(true);
      expect((await receivables.receivableOf(receivableId)).overdue).to.equal(true);
      await receivables.connect(juicePlant).recordPayment(receivableId, FACE_VALUE - 1n, PAYMENT_REF);
      expect(await receivables.isOverdue(receivableId)).to.equal(true);
      await receivables.connect(juicePlant).recordPayment(receivableId, 1n, PAYMENT_REF);
      expect(await receivables.isOverdue(receivableId)).to.equal(false);
      await expect(receivables.isOverdue(5n)).to.be.revertedWithCustomError(receivables, "UnknownReceivable").withArgs(5n);
    });

    it("an unconfirmed receivable is never overdue", async function () {
      const { receivables, receivableId, dueDate } = await loadFixture(registeredFixture);
      await time.increaseTo(dueDate + GRACE + 1n);
      expect(await receivables.isOverdue(receivableId)).to.equal(false);
    });
  });

  describe("selling at a discount", function () {
    it("offer, accept: the amount moves to the financier with the price recorded", async function () {
      const { receivables, tier3, bank, receivableId } = await loadFixture(splitFixture);
      await expect(receivables.connect(tier3).offerSale(receivableId, bank.address, 10_000_000n, 9_700_000n))
        .to.emit(receivables, "SaleOffered")
        .withArgs(1n, receivableId, tier3.address, bank.address, 10_000_000n, 9_700_000n);
      const sale = await receivables.saleOf(1n);
      expect(sale.seller).to.equal(tier3.address);
      expect(sale.price).to.equal(9_700_000n);
      // The offer does not lock the amount.
      expect(await receivables.freeAmountOf(receivableId, tier3.address)).to.equal(10_000_000n);
      const tx = receivables.connect(bank).acceptSale(1n);
      await expect(tx).to.emit(receivables, "ReceivableSold").withArgs(1n, receivableId, tier3.address, bank.address, 10_000_000n, 9_700_000n);
      await expect(tx).to.emit(receivables, "TransferSingle").withArgs(bank.address, tier3.address, bank.address, receivableId, 10_000_000n);
      expect(await receivables.balanceOf(bank.address, receivableId)).to.equal(10_000_000n);
      await expect(receivables.saleOf(1n)).to.be.revertedWithCustomError(receivables, "UnknownSale").withArgs(1n);
      await expect(receivables.connect(bank).acceptSale(1n)).to.be.revertedWithCustomError(receivables, "UnknownSale").withArgs(1n);
    });

    it("refuses a non-financier, the seller as financier, bad prices and more than the free amount", async function () {
      const { registry, receivables, tier3, tier2, bank, receivableId } = await loadFixture(splitFixture);
      await expect(receivables.connect(tier3).offerSale(receivableId, tier2.address, 1n, 1n))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(tier2.address, Role.FINANCIER);
      await expect(receivables.connect(tier3).offerSale(receivableId, tier3.address, 1n, 1n))
        .to.be.revertedWithCustomError(receivables, "InvalidFinancier")
        .withArgs(tier3.address);
      await expect(receivables.connect(tier3).offerSale(receivableId, bank.address, 0n, 0n)).to.be.revertedWithCustomError(
        receivables,
        "ZeroAmount",
      );
      await expect(receivables.connect(tier3).offerSale(receivableId, bank.address, 100n, 0n))
        .to.be.revertedWithCustomError(receivables, "InvalidPrice")
        .withArgs(100n, 0n);
      await expect(receivables.connect(tier3).offerSale(receivableId, bank.address, 100n, 101n))
        .to.be.revertedWithCustomError(receivables, "InvalidPrice")
        .withArgs(100n, 101n);
      await expect(receivables.connect(tier3).offerSale(receivableId, bank.address, 10_000_001n, 1n))
        .to.be.revertedWithCustomError(receivables, "InsufficientFreeAmount")
        .withArgs(receivableId, tier3.address, 10_000_001n, 10_000_000n);
    });

    it("only the financier accepts and only the seller withdraws", async function () {
      const { receivables, tier3, bank, secondBank, receivableId } = await loadFixture(splitFixture);
      await receivables.connect(tier3).offerSale(receivableId, bank.address, 1_000n, 990n);
      await expect(receivables.connect(secondBank).acceptSale(1n))
        .to.be.revertedWithCustomError(receivables, "NotSaleFinancier")
        .withArgs(1n, secondBank.address);
      await expect(receivables.connect(bank).withdrawSale(1n)).to.be.revertedWithCustomError(receivables, "NotSeller").withArgs(1n, bank.address);
      await expect(receivables.connect(tier3).withdrawSale(1n)).to.emit(receivables, "SaleWithdrawn").withArgs(1n, receivableId, tier3.address);
      await expect(receivables.connect(bank).acceptSale(1n)).to.be.revertedWithCustomError(receivables, "UnknownSale").withArgs(1n);
      await expect(receivables.connect(tier3).withdrawSale(1n)).to.be.revertedWithCustomError(receivables, "UnknownSale").withArgs(1n);
    });

    it("acceptance re-checks the seller's free amount and the receivable", async function () {
      const { receivables, tier3, tier2, bank, regulator, receivableId } = await loadFixture(splitFixture);
      await receivables.connect(tier3).offerSale(receivableId, bank.address, 10_000_000n, 9_000_000n);
      await receivables.connect(tier3).safeTransferFrom(tier3.address, tier2.address, receivableId, 1n, "0x");
      await expect(receivables.connect(bank).acceptSale(1n))
        .to.be.revertedWithCustomError(receivables, "InsufficientFreeAmount")
        .withArgs(receivableId, tier3.address, 10_000_000n, 9_999_999n);
      await receivables.connect(tier3).offerSale(receivableId, bank.address, 1_000n, 900n);
      await receivables.connect(regulator).freeze(receivableId, ZERO_HASH);
      await expect(receivables.connect(bank).acceptSale(2n))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(receivableId);
    });
  });

  it("multicall batches a holder's transfers", async function () {
    const { receivables, orchard, tier2, tier3, receivableId } = await loadFixture(confirmedFixture);
    const call = (to: string, amount: bigint) =>
      receivables.interface.encodeFunctionData("safeTransferFrom", [orchard.address, to, receivableId, amount, "0x"]);
    await receivables.connect(orchard).multicall([call(tier2.address, 100n), call(tier3.address, 200n)]);
    expect(await receivables.balanceOf(tier3.address, receivableId)).to.equal(200n);
  });

  it("supports ERC-1155, ICollateral and IReceivables (ERC-165)", async function () {
    const { receivables } = await loadFixture(receivablesFixture);
    expect(await receivables.supportsInterface("0xd9b67a26")).to.equal(true);
    expect(await receivables.supportsInterface("0x01ffc9a7")).to.equal(true);
    expect(await receivables.supportsInterface("0xffffffff")).to.equal(false);
  });
});
