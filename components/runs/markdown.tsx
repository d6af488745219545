import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * Markdown from specs and summaries. Raw HTML is never rendered (react-markdown escapes it
 * without rehype-raw), and unsafe link protocols are dropped by its default urlTransform.
 * Images are never loaded: a spec is written by whoever can create runs, and an image URL would
 * make every viewer's browser call a third party (tracking, internal addresses). An image shows
 * as its alt text linking to its URL; the page's Content-Security-Policy (img-src 'self') backs
 * this up.
 */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        components={{
          a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
          img: ({ src, alt }) => <ImageLink src={typeof src === "string" ? src : undefined} alt={alt} />,
        }}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}

function ImageLink({ src, alt }: { src?: string; alt?: string }) {
  const label = `Image: ${alt?.trim() || "untitled"}`;
  if (!src) return <span data-testid="markdown-image">{label}</span>;
  return (
    <a href={src} target="_blank" rel="noopener noreferrer nofollow" data-testid="markdown-image" title={`Not loaded: ${src}`}>
      {label}
    </a>
  );
}
