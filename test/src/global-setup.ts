import { createConnection } from 'mysql2/promise';

/** Fails the run at once, with the fix, when the MySQL/MariaDB the tests need is not there. */
export default async function checkServices(): Promise<void> {
  const server = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  try {
    const connection = await createConnection(server);
    await connection.end();
  } catch (error) {
    throw new Error(
      `The tests need MySQL/MariaDB at ${server} (set TEST_MYSQL_URL to use another): ${(error as Error).message}. ` +
        'Start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
    );
  }
}
