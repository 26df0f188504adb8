import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ThemeToggle } from '../components/ui/ThemeToggle';
import './globals.css';

export const metadata: Metadata = {
  title: 'Topolog',
  description: 'Live map of the event flows in Kafka-based microservice systems',
};

// Applied before first paint so a dark-mode user never sees a white flash.
const themeScript = `try{var t=localStorage.getItem('topolog-theme');if(!t)t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';document.documentElement.dataset.theme=t}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            <span className="logo" aria-hidden>◆</span> Topolog
          </Link>
          <span className="spacer" />
          <ThemeToggle />
        </header>
        <main className="main">{children}</main>
      </body>
    </html>
  );
}
