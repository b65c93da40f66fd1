"""Fine-tuning a Vision Transformer: linear warm-up, then cosine decay (SequentialLR), with AdamW and two
parameter groups (no weight decay on biases and norms; a 10x smaller learning rate for the backbone)."""
from dataclasses import dataclass

import timm
import torch
from torch.optim import AdamW
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR


@dataclass
class TrainConfig:
    model: str = "vit_base_patch16_224"
    epochs: int = 100
    warmup_epochs: int = 5
    base_lr: float = 5e-4
    backbone_lr_scale: float = 0.1
    weight_decay: float = 0.05
    min_lr: float = 1e-6
    batch_size: int = 128


def param_groups(model, weight_decay):
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        (no_decay if param.ndim <= 1 or name.endswith(".bias") else decay).append(param)
    return decay, no_decay


def train_one_epoch(model, loader, optimizer, epoch):
    model.train()
    for images, labels in loader:
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    print(f"epoch {epoch} done")


def main(cfg=TrainConfig()):
    model = timm.create_model(cfg.model, pretrained=True, num_classes=100)
    decay, no_decay = param_groups(model, cfg.weight_decay)
    optimizer = AdamW(
        [
            {"params": decay, "weight_decay": cfg.weight_decay},
            {"params": no_decay, "weight_decay": 0.0, "lr": cfg.base_lr * cfg.backbone_lr_scale},
        ],
        lr=cfg.base_lr,
        betas=(0.9, 0.999),
    )
    warmup = LinearLR(optimizer, start_factor=0.01, end_factor=1.0, total_iters=cfg.warmup_epochs)
    cosine = CosineAnnealingLR(optimizer, T_max=cfg.epochs - cfg.warmup_epochs, eta_min=cfg.min_lr)
    scheduler = SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[cfg.warmup_epochs])

    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(256, 3, 224, 224), torch.randint(0, 100, (256,))),
                                         batch_size=cfg.batch_size)
    for epoch in range(cfg.epochs):
        train_one_epoch(model, loader, optimizer, epoch)
        scheduler.step()


if __name__ == "__main__":
    main()
