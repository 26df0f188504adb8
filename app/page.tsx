import { ClusterPage } from '../components/overview/ClusterPage';

export default function HomePage() {
  return <ClusterPage />;
}
