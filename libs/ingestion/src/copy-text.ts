/** One field in PostgreSQL's COPY text format: backslash escapes for the separators, \N for null. */
export function copyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'number' ? String(value) : value;
  if (!/[\\\t\n\r\0]/.test(text)) return text;
  return text.replace(/[\\\t\n\r\0]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '',
  );
}

export function copyLine(fields: (string | number | null | undefined)[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) line += (i ? '\t' : '') + copyField(fields[i]);
  return line + '\n';
}
