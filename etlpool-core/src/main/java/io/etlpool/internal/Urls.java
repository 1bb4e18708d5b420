package io.etlpool.internal;

import java.util.regex.Pattern;

/** JDBC URLs fit for messages: a password given in the URL is masked. */
public final class Urls {

    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password|sslpassword)=[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:]+):[^/@]*@");

    private Urls() {
    }

    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String masked = PASSWORD_PARAM.matcher(url).replaceAll("$1=****");
        return USER_INFO.matcher(masked).replaceAll("//$1:****@");
    }
}
