// Placeholder translation unit; the indexing pipeline lands in the next commits.
namespace passerelle {}
