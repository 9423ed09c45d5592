import { z } from "zod";
import type { Backend } from "./backend.js";
import type { AccessRepository, Invite, LinkedGroup, StaffMember } from "./types.js";

/** A group Telegram made a supergroup: payments made under its old id are told under the new one. */
interface GroupMove {
  fromChatId: number;
  toChatId: number;
  movedAt: string;
}

const STAFF = "access:staff";
const GROUPS = "access:groups";
const GROUP_MOVES = "access:group-moves";
/** Enough for any shop; listing is a bounded read. */
const LIST_LIMIT = 10_000;
/** An invite's key outlives its expiry a little, so a late tap is refused as expired rather than unknown. */
const INVITE_GRACE_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_GROUPS_CACHE_MS = 1_000;

const inviteSchema = z.object({ code: z.string(), createdBy: z.number(), expiresAt: z.string() });
const inviteKey = (code: string) => `invite:${code}`;

export class InviteCodeTakenError extends Error {
  readonly code = "INVITE_CODE_TAKEN";
  constructor() {
    super("an invite with this code already exists");
    this.name = "InviteCodeTakenError";
  }
}

/**
 * Staff and linked groups as keyv records with an index each (listing without scanning); invites as
 * atomic keys that `take` reads and deletes in one step, so an invite link works exactly once.
 */
export function createAccessRepository(backend: Backend, options: { groupsCacheMs?: number | undefined } = {}): AccessRepository {
  const staff = backend.namespace("store_staff");
  const groups = backend.namespace("store_groups");
  const moves = backend.namespace("store_group_moves");
  const groupsCacheMs = options.groupsCacheMs ?? DEFAULT_GROUPS_CACHE_MS;

  // Linked groups and staff are read on every paid callback (who hears of it) and change a few times a year:
  // keep them in memory for a moment. A change through this store drops the copy at once (a read that
  // started before it is not kept); another store or instance on the same data is seen within groupsCacheMs.
  const cachedGroups = cached(() => listed<LinkedGroup>(GROUPS, groups), groupsCacheMs);
  // The staff's ids are made with each copy of the list, not on every callback that asks.
  const cachedStaff = cached(async () => {
    const list = await listed<StaffMember>(STAFF, staff);
    return { list, ids: new Set(list.map((m) => m.userId)) as ReadonlySet<number> };
  }, groupsCacheMs);
  // Read on every paid callback too, and written once in a group's life.
  const cachedMoves = cached(
    async () => new Map((await listed<GroupMove>(GROUP_MOVES, moves)).map((m) => [m.fromChatId, m.toChatId])) as ReadonlyMap<number, number>,
    groupsCacheMs,
  );
  const listGroups = async () => (await cachedGroups.read()).map((g) => ({ ...g }));

  async function rememberMove(fromChatId: number, toChatId: number): Promise<void> {
    try {
      const movedAt = backend.now();
      await moves.set(String(fromChatId), { fromChatId, toChatId, movedAt: movedAt.toISOString() } satisfies GroupMove);
      await backend.index.add(GROUP_MOVES, String(fromChatId), movedAt.getTime());
    } finally {
      cachedMoves.forget();
    }
  }
  const staffIds = async () => (await cachedStaff.read()).ids;

  async function listed<T>(index: string, keyv: ReturnType<Backend["namespace"]>): Promise<T[]> {
    const ids = await backend.index.range(index, { limit: LIST_LIMIT, newestFirst: false });
    if (ids.length === 0) return [];
    const found = await keyv.get<T>(ids);
    return found.filter((x): x is Awaited<T> => x !== undefined && x !== null) as T[];
  }

  return {
    async addStaff(member: StaffMember) {
      try {
        await staff.set(String(member.userId), member);
        await backend.index.add(STAFF, String(member.userId), Date.parse(member.addedAt) || 0);
      } finally {
        cachedStaff.forget();
      }
    },
    async removeStaff(userId) {
      try {
        const existed = await staff.delete(String(userId));
        await backend.index.remove(STAFF, String(userId));
        return existed;
      } finally {
        cachedStaff.forget();
      }
    },
    async getStaff(userId) {
      return (await staff.get<StaffMember>(String(userId))) ?? undefined;
    },
    listStaff: async () => (await cachedStaff.read()).list.map((m) => ({ ...m })),
    staffIds,

    async createInvite(invite: Invite) {
      const ttlMs = Math.max(0, Date.parse(invite.expiresAt) - backend.now().getTime()) + INVITE_GRACE_MS;
      const created = await backend.atomic.setIfAbsent(inviteKey(invite.code), JSON.stringify(invite), ttlMs);
      if (!created) throw new InviteCodeTakenError();
    },
    async consumeInvite(code, now) {
      const raw = await backend.atomic.take(inviteKey(code));
      if (raw === undefined) return undefined;
      const invite = inviteSchema.parse(JSON.parse(raw));
      // Used up either way: an expired link is not kept around to be retried.
      return Date.parse(invite.expiresAt) > now.getTime() ? invite : undefined;
    },

    async linkGroup(group: LinkedGroup) {
      try {
        // Linked again (from another topic, say): the ids it had before it became a supergroup still count.
        const formerChatIds = group.formerChatIds ?? (await groups.get<LinkedGroup>(String(group.chatId)))?.formerChatIds;
        await groups.set(String(group.chatId), { ...group, ...(formerChatIds !== undefined ? { formerChatIds } : {}) });
        await backend.index.add(GROUPS, String(group.chatId), Date.parse(group.linkedAt) || 0);
      } finally {
        cachedGroups.forget();
      }
    },
    async unlinkGroup(chatId) {
      try {
        // The ids it had before it became a supergroup outlive the link: its older payments are still its own.
        const group = await groups.get<LinkedGroup>(String(chatId));
        for (const formerChatId of group?.formerChatIds ?? []) await rememberMove(formerChatId, chatId);
        const existed = await groups.delete(String(chatId));
        await backend.index.remove(GROUPS, String(chatId));
        return existed;
      } finally {
        cachedGroups.forget();
      }
    },
    async moveGroup(fromChatId, toChatId) {
      try {
        // Linked or not: a payment made in the group before the move is told in the supergroup, once.
        await rememberMove(fromChatId, toChatId);
        const group = await groups.get<LinkedGroup>(String(fromChatId));
        if (group === undefined || group === null) return false;
        const formerChatIds = [...new Set([...(group.formerChatIds ?? []), fromChatId])].filter((id) => id !== toChatId);
        // The new link first: a crash between the two writes leaves both links, and the next word of the
        // move (the old id keeps being refused with the new one) removes the old one; the other order could
        // leave the shop's group unlinked.
        await groups.set(String(toChatId), { ...group, chatId: toChatId, formerChatIds });
        await backend.index.add(GROUPS, String(toChatId), Date.parse(group.linkedAt) || 0);
        await groups.delete(String(fromChatId));
        await backend.index.remove(GROUPS, String(fromChatId));
        return true;
      } finally {
        cachedGroups.forget();
      }
    },
    async forgetTopic(chatId, topicId) {
      try {
        const group = await groups.get<LinkedGroup>(String(chatId));
        if (group === undefined || group === null || group.topicId !== topicId) return false;
        const { topicId: _gone, ...inMainChat } = group;
        await groups.set(String(chatId), inMainChat);
        return true;
      } finally {
        cachedGroups.forget();
      }
    },
    listGroups,
    groupMoves: () => cachedMoves.read(),
  };
}

/**
 * A value read through a short-lived copy: concurrent readers share one load, and `forget` drops the copy
 * and any load already under way (its result would predate the change). `ms` <= 0 loads every time.
 */
function cached<T>(load: () => Promise<T>, ms: number) {
  let copy: { value: T; until: number } | undefined;
  let loading: Promise<T> | undefined;
  let generation = 0;
  return {
    async read(): Promise<T> {
      if (ms <= 0) return load();
      if (copy !== undefined && copy.until > Date.now()) return copy.value;
      if (loading === undefined) {
        const started = generation;
        const current = load().then(
          (value) => {
            if (started === generation) copy = { value, until: Date.now() + ms };
            if (loading === current) loading = undefined;
            return value;
          },
          (error: unknown) => {
            if (loading === current) loading = undefined;
            throw error;
          },
        );
        loading = current;
      }
      return loading;
    },
    forget() {
      generation++;
      copy = undefined;
      loading = undefined;
    },
  };
}
