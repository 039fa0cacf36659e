/** The most people one `roster admin seed` adds. Its own file: the command's help shows it without loading the seeding code. */
export const maxSeedCount = 10_000_000;
