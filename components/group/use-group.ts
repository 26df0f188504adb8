'use client';
import { useMemo } from 'react';
import { groupSnapshotSchema, type GroupData, type Room } from '../../lib/contract';
import { useWholeRoom, type WholeRoomState } from '../realtime/use-whole-room';

/** One group, live: its summary and partitions from the `group` room (whole payload on every change). */
export function useGroup(cluster: string, group: string): WholeRoomState<GroupData> {
  const room = useMemo<Room>(() => ({ kind: 'group', cluster, group }), [cluster, group]);
  return useWholeRoom(room, 'group:update', groupSnapshotSchema);
}
