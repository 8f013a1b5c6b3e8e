// The writes a job planned in memory (statements built by the other store modules), run as one D1 batch: one
// round trip, and all of them or none.
export async function writeBatch(db: D1Database, statements: D1PreparedStatement[]): Promise<void> {
  await db.batch(statements);
}
