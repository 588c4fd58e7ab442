import type { DeviceGroup, ScheduledJob } from '../api/central-types';

/** The scheduled jobs that run on a group: what editing or deleting it changes. */
function schedulesUsing(groupId: string, schedules: readonly ScheduledJob[]): ScheduledJob[] {
  return schedules.filter((schedule) => schedule.group === groupId && !schedule.completed);
}

/** One sentence on what saving or deleting the group does to its scheduled jobs. */
export function usageSentence(group: DeviceGroup, schedules: readonly ScheduledJob[], change: 'edit' | 'delete'): string {
  const using = schedulesUsing(group.id, schedules);
  if (using.length === 0) return 'No scheduled job uses it.';
  const names = using.map((schedule) => `"${schedule.displayName || schedule.id}"`).join(', ');
  const count = using.length === 1 ? 'It is used by 1 scheduled job' : `It is used by ${using.length} scheduled jobs`;
  const effect = change === 'edit' ? 'their next runs target the new filter' : 'they stay scheduled with no group to run on';
  return `${count} (${names}): ${effect}.`;
}
