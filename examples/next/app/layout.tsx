import type { ReactNode } from 'react';

export const metadata = {
  title: 'updown on Next.js',
  description: 'Uploads and downloads served by an App Router route handler',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
