"""Initial schema: networks, organisations, members, roles, audit chain, outbox.

Reviewed by hand: times are naive UTC ``DateTime`` columns (the models' UTCDateTime
type stores them so on every database); enums are strings with named CHECK
constraints; staff roles (no organisation) are unique through a partial index,
because NULLs are distinct in the ordinary unique constraint.

Revision ID: 1cd88e9e3cad
Revises:
Create Date: 2026-11-24 04:56:36.802576
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1cd88e9e3cad'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_chain_heads',
    sa.Column('chain', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_audit_chain_heads'))
    )
    op.create_table('networks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('municipality', sa.String(length=120), nullable=False),
    sa.Column('project_name', sa.String(length=200), nullable=False),
    sa.Column('about', sa.Text(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('quorum_min_orgs', sa.Integer(), nullable=True),
    sa.Column('tie_rule', sa.Enum('chair_decides', 'rejected', name='tie_rule', native_enum=False, create_constraint=True, length=21), nullable=False),
    sa.Column('invite_lead_days', sa.Integer(), nullable=False),
    sa.Column('max_grant_ore', sa.BigInteger(), nullable=True),
    sa.Column('report_due_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('invite_lead_days >= 0 AND invite_lead_days <= 120', name=op.f('ck_networks_lead_days')),
    sa.CheckConstraint('max_grant_ore IS NULL OR max_grant_ore > 0', name=op.f('ck_networks_max_grant')),
    sa.CheckConstraint('quorum_min_orgs IS NULL OR quorum_min_orgs >= 1', name=op.f('ck_networks_quorum')),
    sa.CheckConstraint('report_due_days >= 0 AND report_due_days <= 730', name=op.f('ck_networks_report_days')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_networks')),
    sa.UniqueConstraint('slug', name=op.f('uq_networks_slug'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('orgnr', sa.String(length=11), nullable=False),
    sa.Column('kind', sa.Enum('association', 'civil_society_network', 'municipal_unit', 'network_itself', name='organisation_kind', native_enum=False, create_constraint=True, length=29), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('orgnr', name=op.f('uq_organisations_orgnr'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chain', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_audit_events_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('chain', 'seq', name=op.f('uq_audit_events_chain_seq'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_network_id'), ['network_id'], unique=False)

    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_criteria_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria'))
    )
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_network_id'), ['network_id'], unique=False)

    op.create_table('join_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('orgnr', sa.String(length=11), nullable=False),
    sa.Column('kind', sa.Enum('association', 'civil_society_network', 'municipal_unit', 'network_itself', name='join_request_kind', native_enum=False, create_constraint=True, length=29), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('wants_invitations', sa.Boolean(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='join_request_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_join_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_join_requests_network_id_networks')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_join_requests_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_join_requests'))
    )
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_join_requests_network_id'), ['network_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.Column('wants_invitations', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_memberships_network_id_networks')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_memberships_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('network_id', 'organisation_id', name=op.f('uq_memberships_network_id_organisation_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('outbox_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('to_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('claim_token', sa.String(length=40), nullable=True),
    sa.Column('claimed_until', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('gave_up_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_outbox_mails_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_mails')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outbox_mails_message_id'))
    )
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_mails_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_mails_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_mails_sent_at'), ['sent_at'], unique=False)

    op.create_table('roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('coordinator', 'auditor', 'representative', name='role_kind', native_enum=False, create_constraint=True, length=22), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(role = 'representative') = (organisation_id IS NOT NULL)", name=op.f('ck_roles_organisation_iff_representative')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_roles_network_id_networks')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_roles_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_roles_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roles')),
    sa.UniqueConstraint('user_id', 'network_id', 'role', 'organisation_id', name=op.f('uq_roles_user_id_network_id_role_organisation_id'))
    )
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roles_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roles_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_roles_staff_role', ['user_id', 'network_id', 'role'], unique=True, sqlite_where=sa.text('organisation_id IS NULL'), postgresql_where=sa.text('organisation_id IS NULL'))

    op.create_table('rules_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body_markdown', sa.Text(), nullable=False),
    sa.Column('change_note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_rules_documents_created_by_id_users')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_rules_documents_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rules_documents')),
    sa.UniqueConstraint('network_id', 'version', name=op.f('uq_rules_documents_network_id_version'))
    )
    with op.batch_alter_table('rules_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rules_documents_network_id'), ['network_id'], unique=False)



def downgrade():
    with op.batch_alter_table('rules_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rules_documents_network_id'))

    op.drop_table('rules_documents')
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.drop_index('uq_roles_staff_role', sqlite_where=sa.text('organisation_id IS NULL'), postgresql_where=sa.text('organisation_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_roles_user_id'))
        batch_op.drop_index(batch_op.f('ix_roles_network_id'))

    op.drop_table('roles')
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_mails_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_mails_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_mails_network_id'))

    op.drop_table('outbox_mails')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_network_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_join_requests_network_id'))

    op.drop_table('join_requests')
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_network_id'))

    op.drop_table('criteria')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_network_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    op.drop_table('users')
    op.drop_table('organisations')
    op.drop_table('networks')
    op.drop_table('audit_chain_heads')
