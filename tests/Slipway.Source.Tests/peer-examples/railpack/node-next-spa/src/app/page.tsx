export default function Home() {
  return (
    <main>
      <h1>Next.js static export</h1>
    </main>
  );
}
