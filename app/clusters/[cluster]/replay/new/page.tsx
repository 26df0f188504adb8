import { ReplayNewPage } from '../../../../../components/replay/ReplayNewPage';

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A new replay; `?topic=` pre-fills the source, `&redrive=1` applies the dead-letter redrive preset. */
export default async function ReplayNewRoute({ params, searchParams }: { params: Promise<{ cluster: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { cluster } = await params;
  const q = await searchParams;
  return <ReplayNewPage cluster={decodeURIComponent(cluster)} topic={first(q.topic) || null} redrive={first(q.redrive) === '1'} />;
}
