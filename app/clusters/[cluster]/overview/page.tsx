import { redirect } from 'next/navigation';

/** The old combined "Topics & groups" page: links and bookmarks to it land on the groups list with the same filter. */
export default async function ClusterOverviewRoute({ params, searchParams }: { params: Promise<{ cluster: string }>; searchParams: Promise<{ q?: string | string[] }> }) {
  const { cluster } = await params;
  const { q } = await searchParams;
  const query = typeof q === 'string' && q !== '' ? `?q=${encodeURIComponent(q.slice(0, 200))}` : '';
  // `cluster` is still URL-encoded here, so it goes back into the path as it came.
  redirect(`/clusters/${cluster}/groups${query}`);
}
