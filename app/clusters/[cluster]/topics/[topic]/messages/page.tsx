import { MessagesPage } from '../../../../../../components/messages/MessagesPage';
import { parseBrowseParamsWithIssues } from '../../../../../../lib/messages/browse-params';

/** A malformed escape in the address (a stray "%") is shown as typed rather than crashing the page. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A topic's messages. The browse state is in the query (partitions, start, offset, time, direction, limit, filter,
 * tail: see lib/messages/browse-params); values that make no sense fall back to defaults and the page says so.
 */
export default async function MessagesRoute({ params, searchParams }: { params: Promise<{ cluster: string; topic: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { cluster, topic } = await params;
  const { params: initial, issues } = parseBrowseParamsWithIssues(await searchParams);
  return <MessagesPage cluster={decodeSegment(cluster)} topic={decodeSegment(topic)} initial={initial} issues={issues} />;
}
