package io.safegrid.config;

import io.safegrid.model.grid.GridPath;
import java.util.Map;

/**
 * A person who uses the console or is on a roster.
 *
 * @param passwordHash a PBKDF2 hash ({@code pbkdf2-sha256$iterations$salt$hash}), or null for contact-only people
 * @param role         admin, county-operator, township-officer or enterprise-operator
 * @param scope        the grid subtree they see and act in
 * @param contacts     per channel id, the address (phone, e-mail, DingTalk/WeCom id)
 * @param language     {@code zh} or {@code en}: the language of their notifications; null: both, Chinese first
 */
public record UserDef(String name, String displayName, String passwordHash, String role, GridPath scope,
                      Map<String, String> contacts, String language) {

    public UserDef {
        contacts = contacts == null ? Map.of() : Map.copyOf(contacts);
    }

    /** Someone whose notifications come in both languages. */
    public UserDef(String name, String displayName, String passwordHash, String role, GridPath scope,
                   Map<String, String> contacts) {
        this(name, displayName, passwordHash, role, scope, contacts, null);
    }

    @Override
    public String toString() { return "UserDef[" + name + ", " + role + ", " + scope + "]"; }
}
