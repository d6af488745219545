/** One page of a list, with the numbers a pager needs. Pages start at 1. */
export function paginate(items, page, perPage) {
  const start = page * perPage - perPage + 1;
  const totalPages = Math.floor(items.length / perPage);
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    totalItems: items.length,
    totalPages,
    hasNext: page < totalPages,
    hasPrevious: page > 1,
  };
}
