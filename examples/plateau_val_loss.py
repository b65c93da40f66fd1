"""A small regression model trained with Adam; the learning rate is halved when the validation loss stops improving.

ReduceLROnPlateau has to be given the metric it watches: scheduler.step(val_loss) once per epoch.
"""
import torch
import torch.nn as nn
from torch.optim import Adam
from torch.optim.lr_scheduler import ReduceLROnPlateau
from torch.utils.data import DataLoader, TensorDataset, random_split

config = {
    "lr": 3e-3,
    "epochs": 60,
    "batch_size": 64,
    "plateau": {"factor": 0.5, "patience": 4, "threshold": 1e-3, "cooldown": 1, "min_lr": 1e-5},
}


def build_data(n=4096, features=16):
    x = torch.randn(n, features)
    y = x @ torch.randn(features, 1) + 0.1 * torch.randn(n, 1)
    train, val = random_split(TensorDataset(x, y), [n - 512, 512])
    return DataLoader(train, batch_size=config["batch_size"], shuffle=True), DataLoader(val, batch_size=512)


def evaluate(model, loader, loss_fn):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += loss_fn(model(x), y).item() * len(x)
    return total / len(loader.dataset)


def main():
    train_loader, val_loader = build_data()
    model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 1))
    loss_fn = nn.MSELoss()
    optimizer = Adam(model.parameters(), lr=config["lr"])
    plateau = config["plateau"]
    scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=plateau["factor"], patience=plateau["patience"],
                                  threshold=plateau["threshold"], cooldown=plateau["cooldown"], min_lr=plateau["min_lr"])

    for epoch in range(config["epochs"]):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
        val_loss = evaluate(model, val_loader, loss_fn)
        scheduler.step(val_loss)
        print(f"epoch {epoch:3d}  val_loss {val_loss:.5f}  lr {scheduler.get_last_lr()[0]:.2e}")


if __name__ == "__main__":
    main()
