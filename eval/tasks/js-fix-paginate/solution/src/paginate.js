/** One page of a list, with the numbers a pager needs. Pages start at 1. */
export function paginate(items, page, perPage) {
  if (!Number.isInteger(perPage) || perPage < 1) throw new RangeError("perPage must be a positive integer");
  if (!Number.isInteger(page)) throw new RangeError("page must be an integer");
  const totalPages = Math.ceil(items.length / perPage);
  const isInRange = page >= 1 && page <= totalPages;
  const start = (page - 1) * perPage;
  return {
    items: isInRange ? items.slice(start, start + perPage) : [],
    page,
    perPage,
    totalItems: items.length,
    totalPages,
    hasNext: page < totalPages,
    hasPrevious: page > 1 && totalPages > 0,
  };
}
