import { ClusterPage } from '../../../../components/overview/ClusterPage';

export default async function ClusterOverviewRoute({ params, searchParams }: { params: Promise<{ cluster: string }>; searchParams: Promise<{ q?: string | string[] }> }) {
  const { cluster } = await params;
  const { q } = await searchParams;
  return <ClusterPage cluster={decodeURIComponent(cluster)} view="overview" query={typeof q === 'string' ? q.slice(0, 200) : undefined} />;
}
