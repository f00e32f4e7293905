/**
 * A form that needs no JavaScript: the browser posts the file to the route handler and shows
 * its JSON answer, whose `url` serves the file back. A real app would use `@updown/react`.
 */
export default function Home() {
  return (
    <main>
      <h1>updown on Next.js</h1>
      <form action="/api/files/upload" method="post" encType="multipart/form-data">
        <input type="file" name="file" required />
        <button type="submit">Upload</button>
      </form>
    </main>
  );
}
