import { setTimeout as pause } from 'node:timers/promises';
import type { ThingGroupRecord } from '../../store/records.js';
import type { Supervisor } from '../background.js';
import type { FleetIndex } from '../devices/fleet-index.js';
import type { FleetView } from '../devices/fleet-view.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { fleetInSteps, resolveInSteps, type MemberTest } from '../groups/fleet-resolution.js';
import { MemberSet } from '../groups/member-set.js';
import type { MembershipChanges } from '../groups/membership-changes.js';
import type { AppStore } from '../persisted.js';
import { compileFleetQuery, type CompiledFleetQuery } from './fleet-query.js';
import type { ThingGroupMembers } from './thing-group-members.js';
import { indexedThing, thingQueryTest } from './thing-query-test.js';
import type { Things } from './things.js';

/** AWS's indexing states of a dynamic group: its first build, a build after its query changed, or done. */
export type DynamicGroupStatus = 'BUILDING' | 'REBUILDING' | 'ACTIVE';

interface Build {
  /** What DescribeThingGroup shows meanwhile: a group that only gains a new fleet's members stays ACTIVE. */
  status: DynamicGroupStatus;
  /** Things changed while the build ran: evaluated once it is done. */
  changed: Set<string>;
}

interface DynamicGroup {
  query: string;
  compiled: CompiledFleetQuery;
  members: MemberSet;
  build?: Build;
}

/**
 * Wall time one build step may hold the event loop; the build then leaves it as long to everything else, so that on
 * a busy machine requests keep at least half of the process's CPU while a million things are visited.
 */
const STEP_MS = 2;

/**
 * The things of each dynamic thing group: those its fleet-indexing query matches, resolved through the fleet
 * resolution IoT Central's device groups use (a fleet decided by its shared fields costs nothing per member). A
 * resolution that must visit members runs in steps of a few milliseconds with as long between them, the group
 * BUILDING meanwhile; then
 * membership is kept current thing by thing from the store's changes, one query evaluation per dynamic group per
 * changed thing. Things that start to match are announced to the group's followers.
 */
export class DynamicGroupMembers {
  private readonly groups = new Map<string, DynamicGroup>();
  /** Things changed by the commit being applied; evaluated once it is applied whole (a device and its attributes commit together). */
  private readonly changed = new Set<string>();
  private knownFleets: readonly FleetView[] = [];
  private closed = false;
  /** Groups whose whole membership is announced once their build is done (a continuous job started while it ran). */
  private readonly announceWhenBuilt = new Set<string>();

  constructor(
    private readonly store: AppStore,
    private readonly index: FleetIndex,
    private readonly things: Things,
    private readonly staticMembers: ThingGroupMembers,
    private readonly joins: MembershipChanges,
    private readonly background: Supervisor,
  ) {
    this.rebuild();
    store.subscribe((change) => {
      if (change.op === 'replaced') return this.rebuild();
      if (change.op === 'set') {
        if (change.singleton === 'fleets') this.fleetsChanged();
        return;
      }
      switch (change.collection) {
        case 'thingGroups':
          if (change.op === 'delete') this.groups.delete(change.id);
          else this.register(change.record as ThingGroupRecord);
          return;
        case 'thingGroupMembers':
          return this.reevaluate(change.id.slice(change.id.indexOf('/') + 1));
        case 'things':
        case 'devices':
        case 'deletedFleetDevices':
          return this.reevaluate(change.id);
      }
    });
  }

  /** Builds under way stop at their next step (the host is closing; nothing reads the groups any more). */
  close(): void {
    this.closed = true;
  }

  /**
   * A continuous job took the group's members while its build ran: parts found before the job followed the group
   * would be missed, so once the build is done the whole membership is announced (followers skip what they have).
   */
  followWhenBuilt(group: string): void {
    if (this.groups.get(group)?.build) this.announceWhenBuilt.add(group);
  }

  isDynamic(group: string): boolean {
    return this.groups.has(group);
  }

  status(group: string): DynamicGroupStatus {
    return this.groups.get(group)?.build?.status ?? 'ACTIVE';
  }

  /** The group's things found so far, as engine slices. */
  slicesOf(group: string): DeviceSlice[] {
    return this.groups.get(group)?.members.slices((id) => this.things.fleetPlaceOf(id)) ?? [];
  }

  size(group: string): number {
    return this.groups.get(group)?.members.size ?? 0;
  }

  /** The dynamic groups a thing is in; one lookup per dynamic group. */
  groupsOf(thing: string): string[] {
    return [...this.groups].filter(([, group]) => group.members.has(thing)).map(([name]) => name);
  }

  private register(record: ThingGroupRecord): void {
    if (record.query === undefined) {
      this.groups.delete(record.name);
      return;
    }
    const current = this.groups.get(record.name);
    if (current?.query === record.query.queryString) return;
    // Until the new query's members are known, the group keeps the old ones.
    const group: DynamicGroup = { query: record.query.queryString, compiled: compileFleetQuery(record.query.queryString), members: current?.members ?? new MemberSet() };
    this.groups.set(record.name, group);
    this.build(record.name, group, current ? 'REBUILDING' : 'BUILDING');
  }

  /** New fleets (appended by Fleetlab's writes) are resolved on their own; any other change of fleets rebuilds. */
  private fleetsChanged(): void {
    const fleets = this.index.fleets;
    const appended = fleets.length >= this.knownFleets.length && this.knownFleets.every((view, i) => fleets[i] === view);
    const added = fleets.slice(this.knownFleets.length);
    this.knownFleets = [...fleets];
    for (const [name, group] of this.groups) this.build(name, group, appended ? 'EXTENDING' : 'REBUILDING', added);
  }

  /**
   * Resolves the group's query over the whole fleet into a new member set, or (EXTENDING) over new fleets into the
   * current one, announcing each part found. The first step runs now; the rest, if any, in the background. A build
   * started while another runs takes over, resolving everything again.
   */
  private build(name: string, group: DynamicGroup, kind: 'BUILDING' | 'REBUILDING' | 'EXTENDING', fleets: readonly FleetView[] = []): void {
    if (kind === 'EXTENDING' && group.build) kind = 'REBUILDING';
    const test = thingQueryTest(group.compiled, this.store, this.index, this.things, this.staticMembers);
    const parts = kind === 'EXTENDING' ? fleetsInSteps(test, fleets) : resolveInSteps(test, this.index);
    const into = kind === 'EXTENDING' ? group.members : new MemberSet();
    if (kind === 'BUILDING') group.members = into;
    // A group that was never ACTIVE stays BUILDING when a newer build takes over.
    const status = kind === 'EXTENDING' ? 'ACTIVE' : group.build?.status === 'BUILDING' ? 'BUILDING' : kind;
    const build: Build = { status, changed: new Set(group.build?.changed) };
    group.build = build;
    const current = () => !this.closed && this.groups.get(name) === group && group.build === build;
    const step = (): boolean => {
      const started = performance.now();
      do {
        const part = parts.next();
        if (part.done) return true;
        into.addResolved(part.value);
        this.joins.announce(name, part.value);
      } while (performance.now() - started < STEP_MS);
      return false;
    };
    const finish = () => {
      if (!current()) return;
      group.members = into;
      delete group.build;
      for (const thing of build.changed) this.evaluateIn(name, group, thing);
      if (this.announceWhenBuilt.delete(name)) this.joins.announce(name, this.slicesOf(name));
    };
    if (step()) return finish();
    // A step that fails is logged; the group keeps what was found and is ACTIVE, rather than BUILDING for ever.
    this.background.run(
      `building the members of dynamic thing group "${name}"`,
      async () => {
        do {
          await pause(STEP_MS);
          if (!current()) return;
        } while (!step());
        finish();
      },
      finish,
    );
  }

  private reevaluate(thing: string): void {
    if (this.groups.size === 0) return;
    if (this.changed.size === 0) {
      queueMicrotask(() => {
        const things = [...this.changed];
        this.changed.clear();
        for (const name of things) this.evaluate(name);
      });
    }
    this.changed.add(thing);
  }

  private evaluate(thing: string): void {
    for (const [name, group] of this.groups) {
      if (group.build) group.build.changed.add(thing);
      else this.evaluateIn(name, group, thing);
    }
  }

  private evaluateIn(name: string, group: DynamicGroup, thing: string): void {
    const matches = this.things.exists(thing) && group.compiled.matches(indexedThing(this.things, this.staticMembers, thing));
    if (!matches) {
      group.members.delete(thing);
      return;
    }
    if (group.members.add(thing)) this.joins.announce(name, [{ ids: [thing] }]);
  }

  private rebuild(): void {
    this.groups.clear();
    this.knownFleets = [...this.index.fleets];
    for (const group of this.store.repository('thingGroups').list()) this.register(group);
  }
}

function* fleetsInSteps(test: MemberTest, fleets: readonly FleetView[]): Generator<DeviceSlice[], void> {
  for (const view of fleets) yield* fleetInSteps(test, view);
}
