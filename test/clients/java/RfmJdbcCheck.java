// Connects to PostgreSQL with the JDBC driver BI tools use (pgjdbc, Debian's
// libpostgresql-jdbc-java) and reads the rfm view the way Metabase, DBeaver
// or Tableau do: result-set metadata, getString/getInt/getObject, database
// metadata, prepared statements with parameters.
//
//   java -cp /usr/share/java/postgresql.jar:. RfmJdbcCheck JDBC_URL EXPECTED_DIR
//
// EXPECTED_DIR holds what psql printed for the same queries (written by
// jdbc.sh): report.tsv (the segment report) and rows.tsv (every rfm column of
// every customer, as text). Prints `ok   - ...` / `FAIL - ...` lines and
// `# ...` notes; the caller counts them. Exits 2 if it could not run.

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

public class RfmJdbcCheck {
    static int passed = 0, failed = 0;

    static void ok(String what) { passed++; System.out.println("ok   - " + what); }
    static void fail(String what, String detail) {
        failed++;
        System.out.println("FAIL - " + what);
        if (detail != null) for (String l : detail.split("\n")) System.out.println("         " + l);
    }
    static void check(String what, Object expected, Object actual) {
        if (expected == null ? actual == null : expected.equals(actual)) ok(what);
        else fail(what, "expected: " + expected + "\ngot:      " + actual);
    }
    static void note(String s) { System.out.println("     # " + s); }

    // The segment report a BI tool builds: group by segment, count, sum, best first.
    static final String REPORT =
        "SELECT segment, count(*) AS customers, sum(spend_last_year) AS revenue "
        + "FROM customer_rfm GROUP BY segment ORDER BY segment";
    // Every column of the view, in the order of rows.tsv.
    static final String ROWS =
        "SELECT customer_id, s, recency_days, orders_last_year, spend_last_year, score, segment, loyalty "
        + "FROM customer_rfm ORDER BY customer_id";
    static final String[] ROW_TYPES =
        {"int4", "rfm_summary", "int4", "int8", "numeric", "rfm_score", "segment", "loyalty_class"};

    static String dump(ResultSet rs) throws SQLException {
        int n = rs.getMetaData().getColumnCount();
        StringBuilder sb = new StringBuilder();
        while (rs.next()) {
            for (int i = 1; i <= n; i++) {
                if (i > 1) sb.append('\t');
                String v = rs.getString(i);
                sb.append(v == null ? "" : v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static Connection connect(String url, Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.putAll(extra);
        return DriverManager.getConnection(url, p);
    }

    /** One pass over the report and the rows with the given connection settings. */
    static void readAll(String label, String url, Properties props, String reportTsv, String rowsTsv)
            throws SQLException {
        try (Connection c = connect(url, props)) {
            // Run each query several times: with prepareThreshold the driver
            // switches to a server-side prepared statement (and binary for the
            // types it knows) only from the Nth execution on.
            for (int run = 1; run <= 3; run++) {
                try (PreparedStatement ps = c.prepareStatement(REPORT); ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    if (run == 1) {
                        check(label + ": report column types", "segment,int8,numeric",
                              md.getColumnTypeName(1) + "," + md.getColumnTypeName(2) + "," + md.getColumnTypeName(3));
                        check(label + ": segment's JDBC type is OTHER (1111), class " + md.getColumnClassName(1),
                              Types.OTHER, md.getColumnType(1));
                    }
                    String got = dump(rs);
                    if (run == 3) check(label + ": segment report equals psql's, best segment first (3rd run)", reportTsv, got);
                }
                try (PreparedStatement ps = c.prepareStatement(ROWS); ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    List<String> types = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) types.add(md.getColumnTypeName(i));
                    if (run == 1) check(label + ": view column type names", String.join(",", ROW_TYPES), String.join(",", types));
                    String got = dump(rs);
                    if (run == 3) check(label + ": every rfm column of every customer as text equals psql's (3rd run)", rowsTsv, got);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) { System.err.println("usage: RfmJdbcCheck JDBC_URL EXPECTED_DIR"); System.exit(2); }
        String url = args[0];
        String reportTsv = Files.readString(Path.of(args[1], "report.tsv"), StandardCharsets.UTF_8);
        String rowsTsv = Files.readString(Path.of(args[1], "rows.tsv"), StandardCharsets.UTF_8);

        try (Connection c = connect(url, new Properties())) {
            DatabaseMetaData dm = c.getMetaData();
            note("driver " + dm.getDriverName() + " " + dm.getDriverVersion() + ", server " + dm.getDatabaseProductVersion());

            // What a BI tool's schema sync sees.
            try (ResultSet rs = dm.getTables(null, "public", "customer_rfm", null)) {
                check("getTables lists customer_rfm as MATERIALIZED VIEW", "MATERIALIZED VIEW",
                      rs.next() ? rs.getString("TABLE_TYPE") : "(not listed)");
            }
            StringBuilder cols = new StringBuilder();
            try (ResultSet rs = dm.getColumns(null, "public", "customer_rfm", null)) {
                while (rs.next()) {
                    if (cols.length() > 0) cols.append(", ");
                    cols.append(rs.getString("COLUMN_NAME")).append(':').append(rs.getString("TYPE_NAME"))
                        .append('/').append(rs.getInt("DATA_TYPE"));
                }
            }
            check("getColumns: type names, JDBC types (OTHER = 1111 for rfm types)",
                  "customer_id:int4/4, s:rfm_summary/1111, recency_days:int4/4, orders_last_year:int8/-5, "
                  + "spend_last_year:numeric/2, score:rfm_score/1111, segment:segment/1111, loyalty:loyalty_class/1111",
                  cols.toString());
            String typeInfo = null;
            try (ResultSet rs = dm.getTypeInfo()) {
                while (rs.next()) if ("segment".equals(rs.getString("TYPE_NAME"))) typeInfo = rs.getString("TYPE_NAME");
            }
            check("getTypeInfo lists the segment type", "segment", typeInfo);

            // Values, one column at a time, the accessors a BI tool calls.
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(
                     "SELECT score, score::int AS score_int, score::text AS score_text, segment, segment::text AS segment_text, "
                     + "loyalty, s, s::text AS s_text, segment_label(segment) AS label FROM customer_rfm WHERE customer_id = 1")) {
                rs.next();
                check("getString(score)", "554", rs.getString("score"));
                check("getInt(score) parses the text form", 554, rs.getInt("score"));
                check("getInt(score::int)", 554, rs.getInt("score_int"));
                check("score::int arrives as int4", "int4", rs.getMetaData().getColumnTypeName(2));
                check("getString(score::text)", "554", rs.getString("score_text"));
                check("getString(segment)", "champions", rs.getString("segment"));
                check("getString(loyalty)", "loyal", rs.getString("loyalty"));
                check("getString(segment_label(segment))", "Champions", rs.getString("label"));
                Object o = rs.getObject("segment");
                check("getObject(segment) is a PGobject", "org.postgresql.util.PGobject", o.getClass().getName());
                check("PGobject type and value", "segment=champions",
                      ((org.postgresql.util.PGobject) o).getType() + "=" + ((org.postgresql.util.PGobject) o).getValue());
                check("getString(s) equals s::text", rs.getString("s_text"), rs.getString("s"));
                check("getObject(score) toString", "554", String.valueOf(rs.getObject("score")));
            }

            // Filters the way a BI tool sends them: a prepared statement with
            // a string parameter (pgjdbc types setString as varchar unless
            // the URL says stringtype=unspecified).
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM customer_rfm WHERE segment = ?")) {
                ps.setString(1, "loyal");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ok("WHERE segment = ? with setString works (count " + rs.getLong(1) + ")");
                }
            } catch (SQLException e) {
                fail("WHERE segment = ? with setString (varchar parameter)",
                     e.getMessage() + "\n(works with ?::segment, segment::text = ?, or stringtype=unspecified)");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM customer_rfm WHERE loyalty = ?")) {
                ps.setString(1, "loyal");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ok("WHERE loyalty = ? with setString works (count " + rs.getLong(1) + ")");
                }
            } catch (SQLException e) {
                fail("WHERE loyalty = ? with setString (varchar parameter)", e.getMessage());
            }
            // The documented ways that work with every driver setting.
            try (PreparedStatement ps = c.prepareStatement(
                     "SELECT (SELECT count(*) FROM customer_rfm WHERE segment = ?::segment), "
                     + "(SELECT count(*) FROM customer_rfm WHERE segment::text = ?), "
                     + "(SELECT count(*) FROM customer_rfm WHERE segment = 'loyal')")) {
                ps.setString(1, "loyal");
                ps.setString(2, "loyal");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    check("?::segment, segment::text = ? and a literal agree", rs.getLong(3) + "," + rs.getLong(3),
                          rs.getLong(1) + "," + rs.getLong(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM customer_rfm WHERE score::int >= ?")) {
                ps.setInt(1, 500);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ok("WHERE score::int >= ? with setInt (count " + rs.getLong(1) + ")");
                }
            }
        }

        // The default: text for everything, custom types included.
        readAll("default settings", url, new Properties(), reportTsv, rowsTsv);
        // Server-side prepared from the first execution: binary results for
        // the types pgjdbc knows (int4, int8, numeric...), text for ours.
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "-1");
        readAll("prepareThreshold=-1 (binary for known types)", url, p, reportTsv, rowsTsv);
        p = new Properties();
        p.setProperty("prepareThreshold", "0");
        readAll("prepareThreshold=0 (never server-prepared)", url, p, reportTsv, rowsTsv);

        // Forcing binary for our OIDs: only an explicit binaryTransferEnable
        // does this, no BI tool does. pgjdbc has no decoder for types it does
        // not know and returns null from getString then (a driver limit, not
        // the server's: the labels do arrive); the casts still work.
        String oids;
        try (Connection c = connect(url, new Properties()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(oid::text, ',') FROM pg_type "
                 + "WHERE typname IN ('rfm_score', 'segment', 'loyalty_class', 'rfm_summary')")) {
            rs.next();
            oids = rs.getString(1);
        }
        p = new Properties();
        p.setProperty("prepareThreshold", "-1");
        p.setProperty("binaryTransferEnable", oids);
        try (Connection c = connect(url, p);
             PreparedStatement ps = c.prepareStatement(
                 "SELECT score, segment, loyalty, score::int, segment::text, loyalty::text "
                 + "FROM customer_rfm WHERE customer_id = 1")) {
            for (int run = 1; run <= 2; run++) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String[] v = new String[3];
                    for (int i = 0; i < 3; i++) {
                        try { v[i] = rs.getString(i + 1); } catch (SQLException e) { v[i] = "error: " + e.getMessage(); }
                    }
                    if (run == 2) {
                        byte[] raw = rs.getBytes(2);
                        note("forced binary: getBytes(segment) = " + (raw == null ? "null" : "\"" + new String(raw, StandardCharsets.UTF_8) + "\"")
                             + ", getBytes(score) = " + (rs.getBytes(1) == null ? "null" : rs.getBytes(1).length + " bytes"));
                        note("binaryTransferEnable=<rfm type OIDs> (forced binary): getString gives score=" + v[0]
                             + " segment=" + v[1] + " loyalty=" + v[2] + " (pgjdbc cannot decode binary of unknown types)");
                        check("forced binary: score::int, segment::text, loyalty::text still read", "554,champions,loyal",
                              rs.getInt(4) + "," + rs.getString(5) + "," + rs.getString(6));
                    }
                }
            }
        }

        System.out.println("# java: " + passed + " passed, " + failed + " failed");
        System.exit(0);
    }
}
