/// <reference types="mocha" />
import { expect } from "chai";
import {
  consortiumFixture,
  creditCodeHash,
  hashOf,
  loadFixture,
  MEMBERS,
  MemberStatus,
  metadataHash,
  metadataURI,
  Role,
  time,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./fixtures";

const NEW_CODE = creditCodeHash("91310000MA1NEWC0DE");

describe("MemberRegistry", function () {
  describe("deployment", function () {
    it("makes the constructor argument the admin, with no pending admin", async function () {
      const { registry, admin } = await loadFixture(consortiumFixture);
      expect(await registry.owner()).to.equal(admin.address);
      expect(await registry.pendingOwner()).to.equal(ZERO_ADDRESS);
    });

    it("stores every admitted member as active with its roles, credit code and metadata hash", async function () {
      const f = await loadFixture(consortiumFixture);
      for (const [who, member] of Object.entries(MEMBERS)) {
        const record = await f.registry.memberOf(f[who as keyof typeof MEMBERS].address);
        expect(record.status).to.equal(MemberStatus.Active);
        expect(record.roles).to.equal(member.roles);
        expect(record.creditCodeHash).to.equal(creditCodeHash(member.creditCode));
        expect(record.metadataHash).to.equal(metadataHash(who));
        expect(record.admittedAt).to.be.greaterThan(0n);
      }
    });
  });

  describe("admit", function () {
    it("admits a member, stores its record and emits MemberAdmitted with every argument", async function () {
      const { registry, admin, outsider } = await loadFixture(consortiumFixture);
      const roles = Role.ENTERPRISE | Role.WAREHOUSE;
      await expect(
        registry
          .connect(admin)
          .admit(outsider.address, roles, NEW_CODE, "Shanghai Trading Co.", "ipfs://m/new", hashOf("new metadata")),
      )
        .to.emit(registry, "MemberAdmitted")
        .withArgs(outsider.address, roles, NEW_CODE, "Shanghai Trading Co.", "ipfs://m/new", hashOf("new metadata"));

      const record = await registry.memberOf(outsider.address);
      expect(record.roles).to.equal(roles);
      expect(record.status).to.equal(MemberStatus.Active);
      expect(record.admittedAt).to.equal(BigInt(await time.latest()));
      expect(record.creditCodeHash).to.equal(NEW_CODE);
      expect(record.metadataHash).to.equal(hashOf("new metadata"));
    });

    it("accepts every defined role at once (255) and a zero metadata hash", async function () {
      const { registry, admin, outsider } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).admit(outsider.address, Role.ALL, NEW_CODE, "", "", ZERO_HASH))
        .to.emit(registry, "MemberAdmitted")
        .withArgs(outsider.address, Role.ALL, NEW_CODE, "", "", ZERO_HASH);
      expect(await registry.hasActiveRole(outsider.address, Role.ALL)).to.equal(true);
    });

    it("reverts with ZeroValue for the zero address or a zero credit code hash", async function () {
      const { registry, admin, outsider } = await loadFixture(consortiumFixture);
      await expect(
        registry.connect(admin).admit(ZERO_ADDRESS, Role.ENTERPRISE, NEW_CODE, "n", "u", ZERO_HASH),
      ).to.be.revertedWithCustomError(registry, "ZeroValue");
      await expect(
        registry.connect(admin).admit(outsider.address, Role.ENTERPRISE, ZERO_HASH, "n", "u", ZERO_HASH),
      ).to.be.revertedWithCustomError(registry, "ZeroValue");
    });

    it("reverts with MemberAlreadyAdmitted for an account admitted before, even after revocation", async function () {
      const { registry, admin, orchard } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).admit(orchard.address, Role.ENTERPRISE, NEW_CODE, "n", "u", ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "MemberAlreadyAdmitted")
        .withArgs(orchard.address);

      await registry.connect(admin).revoke(orchard.address, hashOf("fraud"));
      await expect(registry.connect(admin).admit(orchard.address, Role.ENTERPRISE, NEW_CODE, "n", "u", ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "MemberAlreadyAdmitted")
        .withArgs(orchard.address);
    });

    it("reverts with CreditCodeInUse naming the holder, even after the holder was revoked", async function () {
      const { registry, admin, orchard, outsider } = await loadFixture(consortiumFixture);
      const orchardCode = creditCodeHash(MEMBERS.orchard.creditCode);
      await expect(registry.connect(admin).admit(outsider.address, Role.ENTERPRISE, orchardCode, "n", "u", ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "CreditCodeInUse")
        .withArgs(orchardCode, orchard.address);

      await registry.connect(admin).revoke(orchard.address, hashOf("fraud"));
      await expect(registry.connect(admin).admit(outsider.address, Role.ENTERPRISE, orchardCode, "n", "u", ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "CreditCodeInUse")
        .withArgs(orchardCode, orchard.address);
    });

    for (const roles of [0, 256, 0x1ff, 0xffffffff]) {
      it(`reverts with InvalidRoles for roles ${roles} (empty or an undefined bit >= 256)`, async function () {
        const { registry, admin, outsider } = await loadFixture(consortiumFixture);
        await expect(registry.connect(admin).admit(outsider.address, roles, NEW_CODE, "n", "u", ZERO_HASH))
          .to.be.revertedWithCustomError(registry, "InvalidRoles")
          .withArgs(roles);
      });
    }

    it("can only be called by the admin (OwnableUnauthorizedAccount)", async function () {
      const { registry, regulator, outsider } = await loadFixture(consortiumFixture);
      await expect(registry.connect(regulator).admit(outsider.address, Role.ENTERPRISE, NEW_CODE, "n", "u", ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(regulator.address);
    });
  });

  describe("setRoles", function () {
    it("replaces the roles and emits MemberRolesChanged(previous, new)", async function () {
      const { registry, admin, warehouse } = await loadFixture(consortiumFixture);
      const roles = Role.WAREHOUSE | Role.LOGISTICS;
      await expect(registry.connect(admin).setRoles(warehouse.address, roles))
        .to.emit(registry, "MemberRolesChanged")
        .withArgs(warehouse.address, Role.WAREHOUSE, roles);
      expect((await registry.memberOf(warehouse.address)).roles).to.equal(roles);
      expect(await registry.hasActiveRole(warehouse.address, Role.LOGISTICS)).to.equal(true);
    });

    it("works on a suspended member, who stays suspended", async function () {
      const { registry, admin, bank } = await loadFixture(consortiumFixture);
      await registry.connect(admin).suspend(bank.address, hashOf("audit"));
      await expect(registry.connect(admin).setRoles(bank.address, Role.FINANCIER | Role.INSURER))
        .to.emit(registry, "MemberRolesChanged")
        .withArgs(bank.address, Role.FINANCIER, Role.FINANCIER | Role.INSURER);
      expect((await registry.memberOf(bank.address)).status).to.equal(MemberStatus.Suspended);
    });

    it("reverts with InvalidRoles for 0 or undefined bits", async function () {
      const { registry, admin, bank } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).setRoles(bank.address, 0))
        .to.be.revertedWithCustomError(registry, "InvalidRoles")
        .withArgs(0);
      await expect(registry.connect(admin).setRoles(bank.address, 1 << 8))
        .to.be.revertedWithCustomError(registry, "InvalidRoles")
        .withArgs(256);
    });

    it("reverts with UnknownMember for a non-member and InvalidMemberStatus for a revoked member", async function () {
      const { registry, admin, bank, outsider } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).setRoles(outsider.address, Role.FINANCIER))
        .to.be.revertedWithCustomError(registry, "UnknownMember")
        .withArgs(outsider.address);
      await registry.connect(admin).revoke(bank.address, ZERO_HASH);
      await expect(registry.connect(admin).setRoles(bank.address, Role.FINANCIER))
        .to.be.revertedWithCustomError(registry, "InvalidMemberStatus")
        .withArgs(bank.address, MemberStatus.Revoked);
    });

    it("can only be called by the admin", async function () {
      const { registry, bank } = await loadFixture(consortiumFixture);
      await expect(registry.connect(bank).setRoles(bank.address, Role.ALL))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(bank.address);
    });
  });

  describe("updateProfile", function () {
    it("replaces the metadata hash and emits MemberProfileUpdated with name and URI", async function () {
      const { registry, admin, bank } = await loadFixture(consortiumFixture);
      const newHash = hashOf("bank metadata v2");
      await expect(registry.connect(admin).updateProfile(bank.address, "Bank of Qingdao", "ipfs://m/bank-v2", newHash))
        .to.emit(registry, "MemberProfileUpdated")
        .withArgs(bank.address, "Bank of Qingdao", "ipfs://m/bank-v2", newHash);
      const record = await registry.memberOf(bank.address);
      expect(record.metadataHash).to.equal(newHash);
      expect(record.creditCodeHash).to.equal(creditCodeHash(MEMBERS.bank.creditCode));
      expect(record.roles).to.equal(Role.FINANCIER);
    });

    it("works on a suspended member", async function () {
      const { registry, admin, bank } = await loadFixture(consortiumFixture);
      await registry.connect(admin).suspend(bank.address, ZERO_HASH);
      await expect(registry.connect(admin).updateProfile(bank.address, "n", "u", ZERO_HASH)).to.emit(
        registry,
        "MemberProfileUpdated",
      );
    });

    it("reverts with UnknownMember for a non-member and InvalidMemberStatus for a revoked member", async function () {
      const { registry, admin, bank, outsider } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).updateProfile(outsider.address, "n", "u", ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "UnknownMember")
        .withArgs(outsider.address);
      await registry.connect(admin).revoke(bank.address, ZERO_HASH);
      await expect(registry.connect(admin).updateProfile(bank.address, "n", "u", ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "InvalidMemberStatus")
        .withArgs(bank.address, MemberStatus.Revoked);
    });

    it("can only be called by the admin", async function () {
      const { registry, bank } = await loadFixture(consortiumFixture);
      await expect(registry.connect(bank).updateProfile(bank.address, "n", metadataURI("bank"), ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(bank.address);
    });
  });

  describe("suspend / reinstate / revoke", function () {
    it("suspends an active member (MemberSuspended) and reinstates it (MemberReinstated)", async function () {
      const { registry, admin, carrier } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).suspend(carrier.address, hashOf("expired licence")))
        .to.emit(registry, "MemberSuspended")
        .withArgs(carrier.address, hashOf("expired licence"));
      expect((await registry.memberOf(carrier.address)).status).to.equal(MemberStatus.Suspended);
      expect(await registry.isActiveMember(carrier.address)).to.equal(false);

      await expect(registry.connect(admin).reinstate(carrier.address, hashOf("licence renewed")))
        .to.emit(registry, "MemberReinstated")
        .withArgs(carrier.address, hashOf("licence renewed"));
      expect((await registry.memberOf(carrier.address)).status).to.equal(MemberStatus.Active);
      expect(await registry.hasActiveRole(carrier.address, Role.LOGISTICS)).to.equal(true);
    });

    it("revokes an active member (MemberRevoked)", async function () {
      const { registry, admin, carrier } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).revoke(carrier.address, hashOf("fraud")))
        .to.emit(registry, "MemberRevoked")
        .withArgs(carrier.address, hashOf("fraud"));
      expect((await registry.memberOf(carrier.address)).status).to.equal(MemberStatus.Revoked);
    });

    it("revokes a suspended member", async function () {
      const { registry, admin, carrier } = await loadFixture(consortiumFixture);
      await registry.connect(admin).suspend(carrier.address, ZERO_HASH);
      await expect(registry.connect(admin).revoke(carrier.address, hashOf("fraud")))
        .to.emit(registry, "MemberRevoked")
        .withArgs(carrier.address, hashOf("fraud"));
      expect((await registry.memberOf(carrier.address)).status).to.equal(MemberStatus.Revoked);
    });

    it("keeps roles and credit code of a revoked member in its record", async function () {
      const { registry, admin, carrier } = await loadFixture(consortiumFixture);
      await registry.connect(admin).revoke(carrier.address, ZERO_HASH);
      const record = await registry.memberOf(carrier.address);
      expect(record.roles).to.equal(Role.LOGISTICS);
      expect(record.creditCodeHash).to.equal(creditCodeHash(MEMBERS.carrier.creditCode));
      expect(await registry.hasActiveRole(carrier.address, Role.LOGISTICS)).to.equal(false);
    });

    it("cannot suspend a suspended member", async function () {
      const { registry, admin, carrier } = await loadFixture(consortiumFixture);
      await registry.connect(admin).suspend(carrier.address, ZERO_HASH);
      await expect(registry.connect(admin).suspend(carrier.address, ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "InvalidMemberStatus")
        .withArgs(carrier.address, MemberStatus.Suspended);
    });

    it("cannot reinstate an active member", async function () {
      const { registry, admin, carrier } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).reinstate(carrier.address, ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "InvalidMemberStatus")
        .withArgs(carrier.address, MemberStatus.Active);
    });

    it("makes revocation final: no suspend, reinstate or second revoke", async function () {
      const { registry, admin, carrier } = await loadFixture(consortiumFixture);
      await registry.connect(admin).revoke(carrier.address, ZERO_HASH);
      for (const call of [
        () => registry.connect(admin).suspend(carrier.address, ZERO_HASH),
        () => registry.connect(admin).reinstate(carrier.address, ZERO_HASH),
        () => registry.connect(admin).revoke(carrier.address, ZERO_HASH),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "InvalidMemberStatus")
          .withArgs(carrier.address, MemberStatus.Revoked);
      }
    });

    it("reverts with UnknownMember for an account never admitted", async function () {
      const { registry, admin, outsider } = await loadFixture(consortiumFixture);
      for (const call of [
        () => registry.connect(admin).suspend(outsider.address, ZERO_HASH),
        () => registry.connect(admin).reinstate(outsider.address, ZERO_HASH),
        () => registry.connect(admin).revoke(outsider.address, ZERO_HASH),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(registry, "UnknownMember").withArgs(outsider.address);
      }
    });

    it("can only be called by the admin", async function () {
      const { registry, admin, regulator, carrier } = await loadFixture(consortiumFixture);
      await expect(registry.connect(regulator).suspend(carrier.address, ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(regulator.address);
      await expect(registry.connect(regulator).revoke(carrier.address, ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(regulator.address);
      await registry.connect(admin).suspend(carrier.address, ZERO_HASH);
      await expect(registry.connect(carrier).reinstate(carrier.address, ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(carrier.address);
    });
  });

  describe("role queries", function () {
    it("hasActiveRole is true only when every requested bit is held", async function () {
      const { registry, admin, warehouse } = await loadFixture(consortiumFixture);
      await registry.connect(admin).setRoles(warehouse.address, Role.WAREHOUSE | Role.LOGISTICS);
      expect(await registry.hasActiveRole(warehouse.address, Role.WAREHOUSE)).to.equal(true);
      expect(await registry.hasActiveRole(warehouse.address, Role.LOGISTICS)).to.equal(true);
      expect(await registry.hasActiveRole(warehouse.address, Role.WAREHOUSE | Role.LOGISTICS)).to.equal(true);
      expect(await registry.hasActiveRole(warehouse.address, Role.WAREHOUSE | Role.ENTERPRISE)).to.equal(false);
      expect(await registry.hasActiveRole(warehouse.address, Role.ENTERPRISE)).to.equal(false);
    });

    it("role 0 (ANY_MEMBER) asks only for active membership", async function () {
      const { registry, admin, bank, carrier, outsider } = await loadFixture(consortiumFixture);
      await registry.connect(admin).suspend(carrier.address, ZERO_HASH);
      expect(await registry.hasActiveRole(bank.address, Role.ANY_MEMBER)).to.equal(true);
      expect(await registry.hasActiveRole(carrier.address, Role.ANY_MEMBER)).to.equal(false);
      expect(await registry.hasActiveRole(outsider.address, Role.ANY_MEMBER)).to.equal(false);
    });

    it("isActiveMember is true for active members only", async function () {
      const { registry, admin, bank, carrier, inspector, outsider } = await loadFixture(consortiumFixture);
      await registry.connect(admin).suspend(carrier.address, ZERO_HASH);
      await registry.connect(admin).revoke(inspector.address, ZERO_HASH);
      expect(await registry.isActiveMember(bank.address)).to.equal(true);
      expect(await registry.isActiveMember(carrier.address)).to.equal(false);
      expect(await registry.isActiveMember(inspector.address)).to.equal(false);
      expect(await registry.isActiveMember(outsider.address)).to.equal(false);
      expect(await registry.isActiveMember(admin.address)).to.equal(false); // the admin is not a member
    });

    it("suspended and revoked members hold no active role", async function () {
      const { registry, admin, carrier, inspector } = await loadFixture(consortiumFixture);
      await registry.connect(admin).suspend(carrier.address, ZERO_HASH);
      await registry.connect(admin).revoke(inspector.address, ZERO_HASH);
      expect(await registry.hasActiveRole(carrier.address, Role.LOGISTICS)).to.equal(false);
      expect(await registry.hasActiveRole(inspector.address, Role.INSPECTOR)).to.equal(false);
    });

    it("requireActiveRole passes for a holder and reverts with MissingRole(account, role) otherwise", async function () {
      const { registry, admin, bank, carrier, outsider } = await loadFixture(consortiumFixture);
      await registry.requireActiveRole(bank.address, Role.FINANCIER);
      await registry.requireActiveRole(bank.address, Role.ANY_MEMBER);
      await expect(registry.requireActiveRole(bank.address, Role.INSURER))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(bank.address, Role.INSURER);
      await expect(registry.requireActiveRole(outsider.address, Role.ANY_MEMBER))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(outsider.address, Role.ANY_MEMBER);
      await registry.connect(admin).suspend(carrier.address, ZERO_HASH);
      await expect(registry.requireActiveRole(carrier.address, Role.LOGISTICS))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(carrier.address, Role.LOGISTICS);
    });

    it("memberOf returns an all-zero record (status None) for an account never admitted", async function () {
      const { registry, outsider } = await loadFixture(consortiumFixture);
      const record = await registry.memberOf(outsider.address);
      expect(record.status).to.equal(MemberStatus.None);
      expect(record.roles).to.equal(0n);
      expect(record.admittedAt).to.equal(0n);
      expect(record.creditCodeHash).to.equal(ZERO_HASH);
      expect(record.metadataHash).to.equal(ZERO_HASH);
    });
  });

  describe("admin handover (Ownable2Step)", function () {
    it("transferOwnership only nominates: the old admin stays in charge until acceptance", async function () {
      const { registry, admin, regulator, outsider } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).transferOwnership(regulator.address))
        .to.emit(registry, "OwnershipTransferStarted")
        .withArgs(admin.address, regulator.address);
      expect(await registry.owner()).to.equal(admin.address);
      expect(await registry.pendingOwner()).to.equal(regulator.address);
      // the nominee cannot act as admin before accepting
      await expect(registry.connect(regulator).admit(outsider.address, Role.ENTERPRISE, NEW_CODE, "n", "u", ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(regulator.address);
    });

    it("acceptOwnership by the pending admin completes the handover; the old admin loses its rights", async function () {
      const { registry, admin, regulator, outsider } = await loadFixture(consortiumFixture);
      await registry.connect(admin).transferOwnership(regulator.address);
      await expect(registry.connect(regulator).acceptOwnership())
        .to.emit(registry, "OwnershipTransferred")
        .withArgs(admin.address, regulator.address);
      expect(await registry.owner()).to.equal(regulator.address);
      expect(await registry.pendingOwner()).to.equal(ZERO_ADDRESS);

      await expect(registry.connect(admin).admit(outsider.address, Role.ENTERPRISE, NEW_CODE, "n", "u", ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(admin.address);
      await expect(
        registry.connect(regulator).admit(outsider.address, Role.ENTERPRISE, NEW_CODE, "n", "u", ZERO_HASH),
      ).to.emit(registry, "MemberAdmitted");
    });

    it("only the pending admin can accept", async function () {
      const { registry, admin, regulator, outsider } = await loadFixture(consortiumFixture);
      await expect(registry.connect(outsider).acceptOwnership())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
      await registry.connect(admin).transferOwnership(regulator.address);
      for (const caller of [outsider, admin]) {
        await expect(registry.connect(caller).acceptOwnership())
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
      }
    });

    it("a new nomination replaces the pending one; nominating zero cancels it", async function () {
      const { registry, admin, regulator, bank } = await loadFixture(consortiumFixture);
      await registry.connect(admin).transferOwnership(regulator.address);
      await registry.connect(admin).transferOwnership(bank.address);
      await expect(registry.connect(regulator).acceptOwnership())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(regulator.address);
      await registry.connect(admin).transferOwnership(ZERO_ADDRESS);
      expect(await registry.pendingOwner()).to.equal(ZERO_ADDRESS);
      await expect(registry.connect(bank).acceptOwnership())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(bank.address);
      expect(await registry.owner()).to.equal(admin.address);
    });

    it("transferOwnership can only be called by the admin", async function () {
      const { registry, outsider } = await loadFixture(consortiumFixture);
      await expect(registry.connect(outsider).transferOwnership(outsider.address))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
    });

    it("renounceOwnership reverts with AdminCannotBeRenounced for the admin and is onlyOwner for others", async function () {
      const { registry, admin, outsider } = await loadFixture(consortiumFixture);
      await expect(registry.connect(admin).renounceOwnership()).to.be.revertedWithCustomError(
        registry,
        "AdminCannotBeRenounced",
      );
      await expect(registry.connect(outsider).renounceOwnership())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
      expect(await registry.owner()).to.equal(admin.address);
    });
  });
});
